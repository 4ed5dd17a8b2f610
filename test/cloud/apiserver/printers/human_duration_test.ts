import { test } from "uvu";
import * as assert from "uvu/assert";
import { humanDuration } from "../../../../lib/cloud/apiserver/printers/human_duration.ts";

const S = 1000, M = 60 * S, H = 60 * M, D = 24 * H, Y = 365 * D;

test("humanDuration() gives seconds below two minutes", () => {
  assert.is(humanDuration(0), "0s");
  assert.is(humanDuration(999), "0s");
  assert.is(humanDuration(59 * S), "59s");
  assert.is(humanDuration(119 * S + 999), "119s");
});

test("humanDuration() reads slightly negative durations as 0s and larger ones as <invalid>", () => {
  assert.is(humanDuration(-500), "0s");
  assert.is(humanDuration(-1999), "0s");
  assert.is(humanDuration(-2 * S), "<invalid>");
  assert.is(humanDuration(-5 * M), "<invalid>");
});

test("humanDuration() gives minutes and seconds below ten minutes", () => {
  assert.is(humanDuration(2 * M), "2m");
  assert.is(humanDuration(2 * M + 1 * S), "2m1s");
  assert.is(humanDuration(5 * M + 30 * S), "5m30s");
  assert.is(humanDuration(9 * M + 59 * S), "9m59s");
});

test("humanDuration() gives whole minutes below three hours", () => {
  assert.is(humanDuration(10 * M), "10m");
  assert.is(humanDuration(10 * M + 59 * S), "10m");
  assert.is(humanDuration(179 * M + 59 * S), "179m");
});

test("humanDuration() gives hours and minutes below eight hours", () => {
  assert.is(humanDuration(3 * H), "3h");
  assert.is(humanDuration(3 * H + 5 * M), "3h5m");
  assert.is(humanDuration(7 * H + 59 * M + 59 * S), "7h59m");
});

test("humanDuration() gives whole hours below 48 hours", () => {
  assert.is(humanDuration(8 * H), "8h");
  assert.is(humanDuration(8 * H + 30 * M), "8h");
  assert.is(humanDuration(47 * H + 59 * M), "47h");
});

test("humanDuration() gives days and hours below eight days", () => {
  assert.is(humanDuration(2 * D), "2d");
  assert.is(humanDuration(2 * D + 5 * H), "2d5h");
  assert.is(humanDuration(7 * D + 23 * H + 59 * M), "7d23h");
});

test("humanDuration() gives whole days below two years", () => {
  assert.is(humanDuration(8 * D), "8d");
  assert.is(humanDuration(8 * D + 23 * H), "8d");
  assert.is(humanDuration(400 * D), "400d");
  assert.is(humanDuration(2 * Y - S), "729d");
});

test("humanDuration() gives years and days below eight years, then whole years", () => {
  assert.is(humanDuration(2 * Y), "2y");
  assert.is(humanDuration(2 * Y + 45 * D), "2y45d");
  assert.is(humanDuration(8 * Y - D), "7y364d");
  assert.is(humanDuration(8 * Y), "8y");
  assert.is(humanDuration(8 * Y + 100 * D), "8y");
  assert.is(humanDuration(20 * Y), "20y");
});

test.run();
