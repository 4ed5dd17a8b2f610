/**
 * Decoding of Kubernetes protobuf request bodies (`Content-Type: application/vnd.kubernetes.protobuf`), which
 * `kubectl create configmap|secret|namespace|deployment|service|serviceaccount` send and which never fall back to JSON
 * (kubectl 1.32 does so). A hand-written wire reader and per-message field tables; no protobuf library.
 * @module
 */
export { decodeK8sProtobuf, PROTOBUF_KINDS } from "./decode_k8s_protobuf.ts";
export { ProtobufDecodeError } from "./protobuf_decode_error.ts";
export type { ProtobufDecodeErrorCode } from "./protobuf_decode_error.ts";
