import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeEntry, decodeHeader, encodeEntry, encodeHeader, encodeStatement, verifyLine } from "../../lib/store/journal_line.ts";

const sql = "INSERT INTO t VALUES (?, ?)";
const roundTrip = (params?: Parameters<typeof encodeStatement>[1]) => {
  const line = encodeEntry([encodeStatement(JSON.stringify(sql), params)]);
  assert.ok(line.endsWith("\n"));
  assert.not.ok(line.slice(0, -1).includes("\n"));
  return decodeEntry(verifyLine(line.slice(0, -1))!);
};

test("encodeEntry() and decodeEntry() round-trip plain, named and missing parameters", () => {
  assert.equal(roundTrip(["a\nb", 1.5]), [[sql, ["a\nb", 1.5]]]);
  assert.equal(roundTrip({ $k: "x", $v: null }), [[sql, { $k: "x", $v: null }]]);
  assert.equal(roundTrip(), [[sql]]);
});

test("encodeStatement() tags Uint8Array and non-finite numbers so they survive JSON", () => {
  const blob = new Uint8Array([0, 255, 10, 13]);
  assert.equal(roundTrip([blob, -Infinity]), [[sql, [blob, -Infinity]]]);
  assert.equal(roundTrip({ $b: blob.subarray(1, 3), $n: Infinity }), [[sql, { $b: new Uint8Array([255, 10]), $n: Infinity }]]);
  const [[, params]] = roundTrip([NaN]) as [[string, number[]]];
  assert.ok(Number.isNaN(params[0]));
});

test("encodeStatement() throws TypeError for a value JSON cannot carry", () => {
  assert.throws(() => encodeStatement("\"x\"", [10n as unknown as number]), TypeError);
});

test("verifyLine() rejects a line with any changed, missing or extra character", () => {
  const line = encodeEntry([encodeStatement(JSON.stringify(sql), ["ü✓", 1])]).slice(0, -1);
  assert.ok(verifyLine(line));
  assert.is(verifyLine(line.replace("1", "2")), undefined);
  assert.is(verifyLine(line.slice(0, -1)), undefined);
  assert.is(verifyLine(line + " "), undefined);
  assert.is(verifyLine(line.replace("ü", "\ufffd")), undefined);
  assert.is(verifyLine(""), undefined);
  assert.is(verifyLine("\0".repeat(40)), undefined);
});

test("encodeHeader() names the generation and decodeHeader() reads it back", () => {
  const line = encodeHeader(7).slice(0, -1);
  assert.is(decodeHeader(verifyLine(line)!), 7);
  assert.is(decodeHeader("[[\"DELETE FROM t\"]]"), undefined);
  assert.is(decodeHeader("{\"journal\":99,\"generation\":1}"), undefined);
});

test.run();
