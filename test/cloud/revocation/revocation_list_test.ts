import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  MAX_LIST_BYTES, parseRevocations, RETENTION_MS, RevocationView, serializeRevocations, withoutRevoked, withRevoked,
} from "../../../lib/cloud/revocation/index.ts";
import { BACKDATE_MS } from "../../../lib/pki/index.ts";

const T0 = Date.parse("2026-12-06T12:00:00Z");
const entry = (iso: string, reason = "node deleted") => JSON.stringify({ revokedAt: iso, reason });

test("serializeRevocations() and parseRevocations() round-trip entries", () => {
  const { entries } = withRevoked(new Map(), "edge-1", { nowMs: T0, reason: "node deleted" });
  const data = serializeRevocations(entries);
  assert.equal(data, { "edge-1": entry("2026-12-06T12:00:00.000Z") });
  const back = parseRevocations(data, T0);
  assert.equal(back.skipped, []);
  assert.equal(back.entries.get("edge-1"), { revokedAtMs: T0, reason: "node deleted" });
});

test("parseRevocations() skips every hostile entry by name and keeps the good ones", () => {
  const data: Record<string, unknown> = {
    "good-1": entry("2026-12-01T00:00:00Z"),
    "Not_A_Node": entry("2026-12-01T00:00:00Z"),
    "not-json": "{revokedAt",
    "array": "[1,2]",
    "no-time": JSON.stringify({ reason: "x" }),
    "bad-time": JSON.stringify({ revokedAt: "yesterday" }),
    "number": 42,
    "huge": "x".repeat(100_000),
    "long-reason": JSON.stringify({ revokedAt: "2026-12-01T00:00:00Z", reason: "r".repeat(400) }),
    ...JSON.parse(`{"__proto__": ${JSON.stringify(entry("2026-12-01T00:00:00Z"))}}`),
  };
  const { entries, skipped } = parseRevocations(data, T0);
  assert.equal([...entries.keys()].sort(), ["good-1", "long-reason"]);
  assert.is(entries.get("long-reason")!.reason.length, 200);
  assert.equal(skipped.map((s) => s.key).sort(), ["Not_A_Node", "__proto__", "array", "bad-time", "huge", "no-time", "not-json", "number"]);
  assert.equal(parseRevocations("a string", T0).skipped, [{ key: "", why: "data is not a map" }]);
  assert.equal(parseRevocations(["x"], T0).entries.size, 0);
  assert.equal(parseRevocations(undefined, T0), { entries: new Map(), skipped: [] });
});

test("parseRevocations() reads at most 20000 entries of an oversized map", () => {
  const data = Object.fromEntries(Array.from({ length: 25_000 }, (_, i) => [`n-${i}`, entry("2026-12-01T00:00:00Z")]));
  const { entries, skipped } = parseRevocations(data, T0);
  assert.is(entries.size, 20_000);
  assert.match(skipped.at(-1)!.why, /more than 20000 entries/);
});

test("entries expire after the retention, which outlasts a ten-year certificate", () => {
  assert.ok(RETENTION_MS > 3652 * 86_400_000 + BACKDATE_MS);
  const old = new Map([["old", { revokedAtMs: T0 - RETENTION_MS - 1, reason: "" }], ["recent", { revokedAtMs: T0 - 1000, reason: "" }]]);
  assert.equal([...parseRevocations(serializeRevocations(old), T0).entries.keys()], ["recent"]);
  assert.equal([...withRevoked(old, "new", { nowMs: T0, reason: "" }).entries.keys()].sort(), ["new", "recent"]);
  assert.equal([...withoutRevoked(old, "recent", T0).keys()], []);
});

test("withRevoked() moves a revocation forward but never back", () => {
  const first = withRevoked(new Map(), "edge-1", { nowMs: T0, reason: "a" }).entries;
  assert.is(withRevoked(first, "edge-1", { nowMs: T0 + 5000, reason: "b" }).entries.get("edge-1")!.revokedAtMs, T0 + 5000);
  assert.is(withRevoked(first, "edge-1", { nowMs: T0 - 5000, reason: "b" }).entries.get("edge-1")!.revokedAtMs, T0);
});

test("withRevoked() keeps the data under the cap by dropping the oldest entries, never the new one", () => {
  let entries = new Map<string, { revokedAtMs: number; reason: string }>();
  const name = (i: number) => `node-${String(i).padStart(5, "0")}-${"x".repeat(200)}`;
  for (let i = 0; i < 4000; i++) entries.set(name(i), { revokedAtMs: T0 + i, reason: "node deleted" });
  const r = withRevoked(entries, "newest", { nowMs: T0 - 1, reason: "node deleted" });
  assert.ok(r.evicted.length > 0, "some entries were evicted");
  assert.is(r.evicted[0], name(0), "the oldest goes first");
  assert.ok(r.entries.has("newest"), "the revocation just made holds even though it is dated earliest");
  assert.ok(Buffer.byteLength(JSON.stringify(serializeRevocations(r.entries))) <= MAX_LIST_BYTES);
  entries = r.entries;
  assert.ok(entries.has(name(3999)));
});

test("RevocationView.refuses() refuses certificates issued at or before the revocation and accepts later ones", () => {
  const view = new RevocationView();
  assert.equal(view.replace(new Map([["edge-1", { revokedAtMs: T0, reason: "" }]])), ["edge-1"]);
  assert.ok(view.refuses("edge-1", T0 - 60_000), "issued a minute before");
  assert.ok(view.refuses("edge-1", T0), "issued the same instant");
  assert.not.ok(view.refuses("edge-1", T0 + 1000), "issued a second later (a re-join)");
  assert.ok(view.refuses("edge-1", Number.NaN), "an unreadable notBefore proves nothing");
  assert.not.ok(view.refuses("edge-2", 0), "other nodes are not revoked");
  assert.equal(view.replace(new Map([["edge-1", { revokedAtMs: T0, reason: "" }], ["edge-2", { revokedAtMs: T0, reason: "" }]])), ["edge-2"]);
  assert.equal(view.replace(new Map()), []);
  assert.not.ok(view.refuses("edge-1", 0));
});

test.run();
