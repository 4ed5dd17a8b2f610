import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EDGE_UNIT_NAME, installEdgeService, renderEdgeUnit, uninstallEdgeService } from "../../lib/cli/edge_service.ts";
import { skip } from "../support/skip.ts";
import { ROOT, runToEnd, tsArgs } from "../support/process.ts";

const dir = mkdtempSync(join(tmpdir(), "edge-service-"));
const config = join(dir, "edge.yaml");
writeFileSync(config, "nodeName: edge-1\n");
const binary = join(dir, "edge_core");
writeFileSync(binary, "#!/bin/sh\n", { mode: 0o755 });

test("renderEdgeUnit() runs the binary with --config, restarts always and orders after the network and Docker", () => {
  const unit = renderEdgeUnit(["/usr/local/bin/edge_core"], "/etc/kubeedge-ts/edge.yaml");
  assert.match(unit, /^ExecStart=\/usr\/local\/bin\/edge_core --config \/etc\/kubeedge-ts\/edge\.yaml$/m);
  assert.match(unit, /^Restart=always$/m);
  assert.match(unit, /^After=network-online\.target docker\.service$/m);
  assert.match(unit, /^Wants=network-online\.target$/m);
  assert.match(unit, /^WantedBy=multi-user\.target$/m);
});

test("renderEdgeUnit() quotes spaces and escapes systemd's % and $", () => {
  const unit = renderEdgeUnit(["/opt/edge core/edge_core"], "/etc/100%/$HOME.yaml");
  assert.match(unit, /^ExecStart="\/opt\/edge core\/edge_core" --config \/etc\/100%%\/\$\$HOME\.yaml$/m);
});

test("install writes the unit with absolute paths, enables and starts it through systemctl; uninstall reverses it", async () => {
  const unitDir = join(dir, "units");
  mkdirSync(unitDir);
  const calls: string[] = [];
  const lines: string[] = [];
  const systemctl = async (args: string[]) => void calls.push(args.join(" "));
  await installEdgeService({ config, unitDir, binary, systemctl, print: (l) => lines.push(l) });
  const unitPath = join(unitDir, EDGE_UNIT_NAME);
  assert.match(readFileSync(unitPath, "utf8"), `ExecStart=${binary} --config ${config}\n`);
  assert.is(statSync(unitPath).mode & 0o777, 0o644);
  assert.equal(calls, ["daemon-reload", `enable --now ${EDGE_UNIT_NAME}`]);
  assert.match(lines.join("\n"), `wrote ${unitPath}`);
  assert.match(lines.join("\n"), `ran: systemctl enable --now ${EDGE_UNIT_NAME}`);
  calls.length = 0;
  await uninstallEdgeService({ unitDir, systemctl, print: (l) => lines.push(l) });
  assert.not.ok(existsSync(unitPath));
  assert.equal(calls, [`disable --now ${EDGE_UNIT_NAME}`, "daemon-reload"]);
});

test("install refuses a config that does not load and a missing binary, writing nothing", async () => {
  const unitDir = join(dir, "refused");
  mkdirSync(unitDir);
  const bad = join(dir, "bad.yaml");
  writeFileSync(bad, "edgeHub:\n  heartbeat: forever\n");
  const print = () => {};
  for (const [o, why] of [[{ config: bad, binary }, /edgeHub\.heartbeat/], [{ config, binary: join(dir, "nope") }, /--binary ".*nope" is not a file/]] as const) {
    try {
      await installEdgeService({ ...o, unitDir, systemctl: null, print });
      assert.unreachable("installed");
    } catch (err) {
      assert.match((err as Error).message, why);
    }
  }
  assert.not.ok(existsSync(join(unitDir, EDGE_UNIT_NAME)));
});

test("edge_core install --unit-dir outside systemd's folders writes the unit and prints what to run", async () => {
  const unitDir = join(dir, "cli");
  mkdirSync(unitDir);
  const r = await runToEnd(...tsArgs(join(ROOT, "cmd/edge_core.ts"), "install", "--config", config, "--unit-dir", unitDir, "--binary", binary));
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `wrote ${join(unitDir, EDGE_UNIT_NAME)}`);
  assert.match(r.stdout, "systemctl daemon-reload && systemctl enable --now");
  const u = await runToEnd(...tsArgs(join(ROOT, "cmd/edge_core.ts"), "uninstall", "--unit-dir", unitDir));
  assert.is(u.code, 0, u.stderr);
  assert.match(u.stdout, `removed ${join(unitDir, EDGE_UNIT_NAME)}`);
});

test("systemd-analyze verify finds nothing wrong with the unit", async () => {
  const tool = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].find((p) => existsSync(p));
  if (!tool) return skip("systemd-analyze is not installed: the unit is checked by content only");
  const unit = join(dir, EDGE_UNIT_NAME);
  writeFileSync(unit, renderEdgeUnit([binary], config));
  const r = await runToEnd(tool, ["verify", unit]);
  assert.is(r.code, 0, r.stderr);
  // it warns about a bad line on stderr and still exits 0
  assert.not.match(r.stderr, EDGE_UNIT_NAME, r.stderr);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
