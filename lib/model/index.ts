/**
 * The KubeEdge message, its wire codec, resource strings and wire names, as KubeEdge has them.
 * @module
 */
export { errorReplyTo, isReply, newMessage, Op, replyTo } from "./message.ts";
export type { Message, MessageHeader, MessageRoute, NewMessage } from "./message.ts";
export { decodeMessage, encodeMessage, MessageFormatError } from "./message_codec.ts";
export { buildResource, fromCloudResource, parseResource, toCloudResource } from "./resource_string.ts";
export type { Resource } from "./resource_string.ts";
export { Group, ModuleName, ResourceType, Source } from "./names.ts";
export { buildResync, objectKey, parseResyncContent, RESYNC_OPERATION, RESYNC_RESOURCE, RESYNC_TYPES } from "./resync.ts";
export type { DesiredObject, ResyncContent, ResyncOptions } from "./resync.ts";
export {
  decodeBody,
  encodeBody,
  endToEndHeaders,
  newServiceRequest,
  parseServiceRequest,
  SERVICE_BUS_GROUP,
  SERVICE_REQUEST_OPERATION,
} from "./service_request.ts";
export type { BodyEncoding, ServiceRequest, ServiceResponse } from "./service_request.ts";
export { parsePodTokens, SERVICE_ACCOUNT_TOKEN_TYPE, tokenKey } from "./service_account_token.ts";
export type { PodToken, PodTokens } from "./service_account_token.ts";
export { compareResourceVersions } from "./resource_version.ts";
export { parseStreamFrame, STREAM_GROUP, STREAM_MODULE, streamBytes, streamData, streamMessage, StreamOp } from "./stream.ts";
export type {
  StreamChannel, StreamClose, StreamContent, StreamCredit, StreamData, StreamExecOptions, StreamExit, StreamFrame, StreamKind,
  StreamLogOptions, StreamOpen, StreamOpened, StreamOpName, StreamReset, StreamResize,
} from "./stream.ts";
export { USAGE_GROUP, USAGE_MODULE, USAGE_RESOURCE_TYPE, usageMessage } from "./resource_usage.ts";
export type { ContainerUsage, PodUsage, Usage, UsageReport } from "./resource_usage.ts";
export { ReceiveWindow, SendWindow, sendWithCredit, StreamClosedError } from "./stream_window.ts";
export {
  CERTIFICATE_GROUP,
  CERTIFICATE_REQUEST_OPERATION,
  CERTIFICATE_RESOURCE,
  CERTSIGNER_MODULE,
  newCertificateRequest,
  parseCertificateReply,
  parseCertificateRequest,
} from "./certificate_request.ts";
export type { CertificateReply, CertificateRequest } from "./certificate_request.ts";
export { REFUSAL_HEADER, REVOKED_CLOSE_CODE, REVOKED_REFUSAL } from "./link_refusal.ts";
