import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLogger } from "../../lib/log/index.ts";

function capture(level?: "debug" | "info" | "warn" | "error") {
  const lines: string[] = [];
  return { lines, log: createLogger("edge", { level, write: (l) => lines.push(l) }) };
}

test("createLogger() writes one line per event with level, module and context", () => {
  const { lines, log } = capture();
  log.child("edged").info("pod started", { pod: "default/nginx", restarts: 2, note: "two words" });
  assert.is(lines.length, 1);
  assert.match(lines[0], /^\d{4}-\d\d-\d\dT[\d:.]+Z INFO  \[edge\.edged\] pod started pod=default\/nginx restarts=2 note="two words"$/);
});

test("createLogger() drops lines below the level", () => {
  const { lines, log } = capture("warn");
  log.debug("d");
  log.info("i");
  log.warn("w");
  log.error("e");
  assert.equal(lines.map((l) => l.split(" ")[1]), ["WARN", "ERROR"]);
  assert.not.ok(log.enabled("info"));
  assert.ok(log.enabled("error"));
});

test("createLogger() never prints values of credential-like keys", () => {
  const { lines, log } = capture();
  log.info("login", { token: "s3cr3t", password: "hunter2", privateKey: "-----BEGIN", user: "admin" });
  assert.not.match(lines[0], /s3cr3t|hunter2|BEGIN/);
  assert.match(lines[0], /token=\[redacted\] password=\[redacted\] privateKey=\[redacted\] user=admin/);
});

test("createLogger() keeps a multi-line value on one line", () => {
  const { lines, log } = capture();
  log.error("failed", { error: new Error("line one\nline two") });
  assert.is(lines.length, 1);
  assert.not.match(lines[0], /\n/);
  assert.match(lines[0], /error="line one\\nline two"/);
});

test.run();
