/**
 * The code habits a script can check: module boundaries, no `_private` fields, no stray
 * console output or untracked TODOs in lib/, file sizes within reason.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "./support/process.ts";

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

const LIB = join(ROOT, "lib");
const files = walk(LIB).map((abs) => ({ abs, rel: relative(ROOT, abs), text: readFileSync(abs, "utf8") }));

/** `lib/edge/edged/...` -> "edge/edged"; the assembly files beside the modules and ground-floor folders -> their folder. */
function moduleOf(rel: string): string {
  const parts = rel.split("/");
  return (parts[1] === "edge" || parts[1] === "cloud") && parts.length > 3 ? `${parts[1]}/${parts[2]}` : parts[1];
}

function imports(text: string): string[] {
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1] ?? m[2]);
}

test("edge code never imports cloud code and cloud code never imports edge code", () => {
  const bad: string[] = [];
  for (const f of files) {
    const side = f.rel.split("/")[1];
    if (side !== "edge" && side !== "cloud") continue;
    for (const spec of imports(f.text).filter((s) => s.startsWith("."))) {
      const target = relative(ROOT, resolve(dirname(f.abs), spec)).split("/");
      if (target[0] === "lib" && (target[1] === "edge" || target[1] === "cloud") && target[1] !== side) bad.push(`${f.rel} -> ${spec}`);
    }
  }
  assert.equal(bad, []);
});

test("a module imports another module only through its index.ts face", () => {
  const bad: string[] = [];
  for (const f of files) {
    const from = moduleOf(f.rel);
    if (!from.includes("/")) continue;
    for (const spec of imports(f.text).filter((s) => s.startsWith("."))) {
      const targetRel = relative(ROOT, resolve(dirname(f.abs), spec));
      const to = moduleOf(targetRel);
      if (!to.includes("/") || to === from) continue;
      const inside = targetRel.split("/").slice(3).join("/");
      if (inside !== "index.ts" && !(to === "edge/edged" && inside === "runtime/index.ts")) bad.push(`${f.rel} -> ${spec}`);
    }
  }
  assert.equal(bad, []);
});

test("private state uses #fields, never _fields", () => {
  const bad = files.filter((f) => /\bthis\._[A-Za-z]/.test(f.text)).map((f) => f.rel);
  assert.equal(bad, []);
});

test("lib/ logs through the logger and has no TODO without an issue number", () => {
  const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const consoleUse = files.filter((f) => /\bconsole\.(log|error|warn|info|debug)\(/.test(code(f.text))).map((f) => f.rel);
  assert.equal(consoleUse, [], "use lib/log");
  const todos = files.filter((f) => /\bTODO\b(?!.*#\d)/.test(f.text)).map((f) => f.rel);
  assert.equal(todos, [], "a TODO names its issue: TODO(#12)");
});

test("source files stay below 600 lines (400 needs a reason in review)", () => {
  const sizes = files.map((f) => ({ rel: f.rel, lines: f.text.split("\n").length }));
  const long = sizes.filter((s) => s.lines > 400).map((s) => `${s.rel}: ${s.lines}`);
  if (long.length) process.stdout.write(`files over 400 lines:\n  ${long.join("\n  ")}\n`);
  assert.equal(sizes.filter((s) => s.lines > 600).map((s) => `${s.rel}: ${s.lines}`), []);
});

test.run();
