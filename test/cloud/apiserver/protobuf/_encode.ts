/** A tiny protobuf writer for building test bodies by hand. */

export function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}

export function tag(field: number, wireType: number): number[] {
  return varint((field << 3) | wireType);
}

export function bytesField(field: number, payload: number[] | Uint8Array): number[] {
  return [...tag(field, 2), ...varint(payload.length), ...payload];
}

export function stringField(field: number, text: string): number[] {
  return bytesField(field, [...new TextEncoder().encode(text)]);
}

export function messageField(field: number, ...parts: number[][]): number[] {
  return bytesField(field, parts.flat());
}

export function varintField(field: number, value: number | bigint): number[] {
  return [...tag(field, 0), ...varint(value)];
}

/** A whole Kubernetes protobuf body: magic, then runtime.Unknown around the object bytes. */
export function k8sBody(apiVersion: string, kind: string, object: number[], contentEncoding = ""): Uint8Array {
  return Uint8Array.from([
    0x6b, 0x38, 0x73, 0x00,
    ...messageField(1, stringField(1, apiVersion), stringField(2, kind)),
    ...bytesField(2, object),
    ...stringField(3, contentEncoding),
    ...stringField(4, ""),
  ]);
}
