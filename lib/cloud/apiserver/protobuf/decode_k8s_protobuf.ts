/** Decodes the `application/vnd.kubernetes.protobuf` bodies that kubectl's generators POST. */
import { DEPLOYMENT } from "./apps_v1.ts";
import { CONFIG_MAP, NAMESPACE, SECRET, SERVICE, SERVICE_ACCOUNT } from "./core_v1.ts";
import { decodeMessage } from "./decode_message.ts";
import { ProtoReader, WireType } from "./proto_reader.ts";
import { ProtobufDecodeError } from "./protobuf_decode_error.ts";
import { field, type MessageSpec } from "./schema.ts";

/** The 4 bytes in front of every Kubernetes protobuf body: "k8s" and a zero byte. */
const MAGIC = [0x6b, 0x38, 0x73, 0x00] as const;

/** runtime.TypeMeta, inside the envelope. */
const TYPE_META: MessageSpec = { 1: field("apiVersion", "string"), 2: field("kind", "string") };

/** runtime.Unknown field numbers: the envelope around the object's own protobuf. */
const UNKNOWN_TYPE_META = 1;
const UNKNOWN_RAW = 2;
const UNKNOWN_CONTENT_ENCODING = 3;

const utf8 = new TextDecoder();

interface Envelope { apiVersion: string; kind: string; raw: Uint8Array; contentEncoding: string }

/** Reads the runtime.Unknown envelope; the raw object bytes stay a view into the body. */
function readEnvelope(bytes: Uint8Array): Envelope {
  const reader = new ProtoReader(bytes, "Unknown");
  const envelope: Envelope = { apiVersion: "", kind: "", raw: new Uint8Array(0), contentEncoding: "" };
  while (!reader.done) {
    const { field: number, wireType } = reader.readTag();
    if (wireType !== WireType.lengthDelimited) {
      reader.skip(wireType, number);
    } else if (number === UNKNOWN_TYPE_META) {
      const typeMeta = decodeMessage(reader.readBytes(), TYPE_META, "Unknown.typeMeta") as Partial<Envelope>;
      envelope.apiVersion = typeMeta.apiVersion ?? "";
      envelope.kind = typeMeta.kind ?? "";
    } else if (number === UNKNOWN_RAW) {
      envelope.raw = reader.readBytes();
    } else if (number === UNKNOWN_CONTENT_ENCODING) {
      envelope.contentEncoding = utf8.decode(reader.readBytes());
    } else {
      reader.skip(wireType, number);
    }
  }
  return envelope;
}

/** The kinds this decoder has tables for, keyed by "apiVersion kind". */
const KINDS: Readonly<Record<string, MessageSpec>> = {
  "v1 ConfigMap": CONFIG_MAP,
  "v1 Secret": SECRET,
  "v1 Namespace": NAMESPACE,
  "v1 Service": SERVICE,
  "v1 ServiceAccount": SERVICE_ACCOUNT,
  "apps/v1 Deployment": DEPLOYMENT,
};

/** The "apiVersion kind" pairs decodeK8sProtobuf accepts, for error messages and discovery docs. */
export const PROTOBUF_KINDS: readonly string[] = Object.keys(KINDS);

/**
 * Turns a Kubernetes protobuf request body into the JSON object kubectl would have sent as JSON: apiVersion, kind,
 * then the object's fields, with empty values left out. Supports ConfigMap, Secret (data as base64), Namespace,
 * Service, ServiceAccount and apps/v1 Deployment; fields outside the tables are skipped.
 *
 * @param body the whole request body, starting with the `k8s\0` magic
 * @returns the object as JSON-ready data
 * @throws ProtobufDecodeError (a TypeError) with `code` `BAD_MAGIC`, `MALFORMED`, `UNSUPPORTED_KIND` (answer 415) or
 *   `UNSUPPORTED_ENCODING` (answer 415)
 * @example Decoding `kubectl create configmap c2 --from-literal=x=y`
 * ```ts
 * decodeK8sProtobuf(body); // { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c2" }, data: { x: "y" } }
 * ```
 */
export function decodeK8sProtobuf(body: Uint8Array): Record<string, unknown> {
  if (body.length < MAGIC.length || MAGIC.some((b, i) => body[i] !== b)) {
    throw new ProtobufDecodeError("BAD_MAGIC", `the body does not start with "k8s\\0"`);
  }
  const { apiVersion, kind, raw, contentEncoding } = readEnvelope(body.subarray(MAGIC.length));
  if (contentEncoding) {
    const detail = `unsupported content encoding "${contentEncoding}" for "${apiVersion} ${kind}"`;
    throw new ProtobufDecodeError("UNSUPPORTED_ENCODING", detail);
  }
  const key = `${apiVersion} ${kind}`;
  if (!Object.hasOwn(KINDS, key)) {
    throw new ProtobufDecodeError(
      "UNSUPPORTED_KIND",
      `unsupported kind "${key}"; supported kinds: ${PROTOBUF_KINDS.join(", ")}; send application/json instead`,
    );
  }
  return { apiVersion, kind, ...decodeMessage(raw, KINDS[key]) };
}
