import { test } from "uvu";
import * as assert from "uvu/assert";
import { ProtoReader } from "../../../../lib/cloud/apiserver/protobuf/proto_reader.ts";
import { ProtobufDecodeError } from "../../../../lib/cloud/apiserver/protobuf/protobuf_decode_error.ts";
import { varint } from "./_encode.ts";

function throwsMalformed(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (err) {
    assert.instance(err, ProtobufDecodeError);
    assert.instance(err, TypeError);
    assert.is((err as ProtobufDecodeError).code, "MALFORMED");
    assert.match((err as Error).message, pattern);
    return;
  }
  assert.unreachable("expected a MALFORMED error");
}

test("ProtoReader.readVarint() reads one-byte, multi-byte and full 64-bit varints", () => {
  const r = new ProtoReader(Uint8Array.from([0x00, 0x7f, 0xac, 0x02, ...varint(2n ** 64n - 1n)]));
  assert.is(r.readVarint(), 0n);
  assert.is(r.readVarint(), 127n);
  assert.is(r.readVarint(), 300n);
  assert.is(r.readVarint(), 2n ** 64n - 1n);
  assert.ok(r.done);
});

test("ProtoReader.readVarint() reads a negative int32 as its 10-byte two's complement", () => {
  const bytes = varint(-1);
  assert.is(bytes.length, 10);
  assert.is(BigInt.asIntN(32, new ProtoReader(Uint8Array.from(bytes)).readVarint()), -1n);
});

test("ProtoReader.readTag() splits the key into field number and wire type", () => {
  const r = new ProtoReader(Uint8Array.from([0x0a, 0x88, 0x01]));
  assert.equal(r.readTag(), { field: 1, wireType: 2 });
  assert.equal(r.readTag(), { field: 17, wireType: 0 });
});

test("ProtoReader.readBytes() returns a view of the payload", () => {
  const r = new ProtoReader(Uint8Array.from([0x03, 0x61, 0x62, 0x63, 0x09]));
  assert.equal([...r.readBytes()], [0x61, 0x62, 0x63]);
  assert.is(r.readVarint(), 9n);
});

test("ProtoReader reads little-endian fixed32 and fixed64 values", () => {
  const r = new ProtoReader(Uint8Array.from([0x78, 0x56, 0x34, 0x12, 0x01, 0, 0, 0, 0, 0, 0, 0x80]));
  assert.is(r.readFixed32(), 0x12345678);
  assert.is(r.readFixed64(), 0x8000000000000001n);
});

test("ProtoReader.skip() skips every wire type, groups included", () => {
  const bytes = Uint8Array.from([
    0x08, 0x96, 0x01, // field 1 varint
    0x11, 1, 2, 3, 4, 5, 6, 7, 8, // field 2 fixed64
    0x1a, 0x02, 0xff, 0xff, // field 3 bytes
    0x25, 1, 2, 3, 4, // field 4 fixed32
    0x2b, 0x08, 0x01, 0x33, 0x34, 0x2c, // field 5 group holding a varint and an inner group 6
    0x38, 0x2a, // field 7 varint 42
  ]);
  const r = new ProtoReader(bytes);
  for (let i = 0; i < 5; i++) {
    const { field, wireType } = r.readTag();
    r.skip(wireType, field);
  }
  assert.equal(r.readTag(), { field: 7, wireType: 0 });
  assert.is(r.readVarint(), 42n);
  assert.ok(r.done);
});

test("ProtoReader fails with the message path on truncated data", () => {
  throwsMalformed(() => new ProtoReader(Uint8Array.from([0x80]), "spec").readVarint(), /message "spec" has a truncated varint at byte 1/);
  throwsMalformed(() => new ProtoReader(Uint8Array.from([0x05, 0x61])).readBytes(), /length of 5 past the end/);
  throwsMalformed(() => new ProtoReader(Uint8Array.from([0x01, 0x02])).readFixed32(), /truncated 32-bit value/);
  throwsMalformed(() => new ProtoReader(Uint8Array.from(Array(11).fill(0xff))).readVarint(), /longer than 10 bytes/);
});

test("ProtoReader rejects field 0, unknown wire types and unterminated groups", () => {
  throwsMalformed(() => new ProtoReader(Uint8Array.from([0x02])).readTag(), /field number 0/);
  throwsMalformed(() => new ProtoReader(Uint8Array.from([])).skip(6, 9), /field 9 with wire type 6/);
  throwsMalformed(() => new ProtoReader(Uint8Array.from([0x08, 0x01])).skip(3, 1), /group 1 without its end/);
  throwsMalformed(() => new ProtoReader(Uint8Array.from([0x14])).skip(3, 1), /ends group 2 inside group 1/);
});

test.run();
