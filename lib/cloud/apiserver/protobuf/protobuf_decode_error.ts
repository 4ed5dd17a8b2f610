/**
 * Why a Kubernetes protobuf body could not be turned into JSON. It is a TypeError (the body has the wrong shape for
 * this server), so callers that only check `instanceof TypeError` still see it. Codes:
 *
 * | code | meaning | suggested HTTP status |
 * | --- | --- | --- |
 * | `BAD_MAGIC` | the body does not start with the 4 bytes `k8s\0` | 400 |
 * | `MALFORMED` | the protobuf wire data is truncated or inconsistent | 400 |
 * | `UNSUPPORTED_KIND` | the envelope names a kind this decoder has no field table for | 415 |
 * | `UNSUPPORTED_ENCODING` | the envelope declares a content encoding (compression) | 415 |
 */
export type ProtobufDecodeErrorCode = "BAD_MAGIC" | "MALFORMED" | "UNSUPPORTED_KIND" | "UNSUPPORTED_ENCODING";

/** A body that cannot be decoded; `code` says why (see the table above). */
export class ProtobufDecodeError extends TypeError {
  readonly code: ProtobufDecodeErrorCode;

  /**
   * @param code the stable reason code
   * @param detail what was wrong, appended to "Cannot decode protobuf body: "
   */
  constructor(code: ProtobufDecodeErrorCode, detail: string) {
    super(`Cannot decode protobuf body: ${detail}`);
    this.name = "ProtobufDecodeError";
    this.code = code;
  }
}
