import { test } from "uvu";
import * as assert from "uvu/assert";
import { RevokedNotice } from "../../../lib/edge/edgehub/revoked_notice.ts";
import { createLogger } from "../../../lib/log/index.ts";

function capture() {
  const lines: string[] = [];
  return { lines, log: createLogger("edgehub", { level: "debug", write: (l: string) => void lines.push(l) }) };
}

test("RevokedNotice.check() logs one error line per period for refusals and closes that say revoked", () => {
  const { lines, log } = capture();
  const n = new RevokedNotice(600_000);
  assert.ok(n.check({ refusal: "revoked" }, "edge-1", log, 0));
  assert.ok(n.check({ closeCode: 4003 }, "edge-1", log, 1000));
  assert.ok(n.check({ refusal: "revoked" }, "edge-1", log, 2000));
  assert.is(lines.length, 1);
  assert.match(lines[0], /ERROR.*revoked this node's certificate.*node=edge-1/);
  assert.ok(n.check({ refusal: "revoked" }, "edge-1", log, 600_000));
  assert.is(lines.length, 2);
  assert.match(lines[1], /refusedSinceLastLine=2/);
});

test("RevokedNotice.check() ignores other refusals and close codes", () => {
  const { lines, log } = capture();
  const n = new RevokedNotice();
  assert.not.ok(n.check({}, "edge-1", log));
  assert.not.ok(n.check({ refusal: "other" }, "edge-1", log));
  assert.not.ok(n.check({ closeCode: 4000 }, "edge-1", log));
  assert.is(lines.length, 0);
});

test.run();
