import { test } from "uvu";
import * as assert from "uvu/assert";
import { StdioDemuxer } from "../../../../lib/edge/edged/runtime/index.ts";

function frame(stream: number, text: string): Uint8Array {
  const body = Buffer.from(text);
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(body.length, 4);
  return Buffer.concat([h, body]);
}

function run(chunks: Uint8Array[]) {
  const d = new StdioDemuxer();
  const out = { stdout: "", stderr: "" };
  for (const c of chunks) for (const f of d.push(c)) out[f.stream === 2 ? "stderr" : "stdout"] += Buffer.from(f.data).toString();
  return { ...out, buffered: d.buffered };
}

test("StdioDemuxer.push() splits whole frames by stream", () => {
  const all = Buffer.concat([frame(1, "out1\n"), frame(2, "err\n"), frame(1, "out2\n")]);
  assert.equal(run([all]), { stdout: "out1\nout2\n", stderr: "err\n", buffered: 0 });
});

test("StdioDemuxer.push() handles frames split at every byte, headers included", () => {
  const all = Buffer.concat([frame(1, "hello "), frame(2, "E"), frame(1, "world\n"), frame(1, "")]);
  const bytes = [...all].map((b) => Uint8Array.of(b));
  assert.equal(run(bytes), { stdout: "hello world\n", stderr: "E", buffered: 0 });
});

test("StdioDemuxer.push() passes a partial payload on at once and keeps a partial header", () => {
  const d = new StdioDemuxer();
  const f = frame(1, "abcdef");
  const first = d.push(f.subarray(0, 10));
  assert.is(Buffer.from(first[0].data).toString(), "ab");
  assert.is(d.buffered, 0);
  const next = d.push(Buffer.concat([f.subarray(10), frame(2, "x").subarray(0, 3)]));
  assert.is(Buffer.from(next[0].data).toString(), "cdef");
  assert.is(d.buffered, 3);
});

test("StdioDemuxer.push() reads sizes above 2^31 without going negative", () => {
  const d = new StdioDemuxer();
  const h = Buffer.alloc(8);
  h[0] = 1;
  h.writeUInt32BE(0x80000001, 4);
  const out = d.push(Buffer.concat([h, Buffer.from("xy")]));
  assert.is(out.length, 1);
  assert.is(out[0].data.length, 2);
});

test.run();
