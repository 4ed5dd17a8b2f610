/**
 * The KubeEdge message, its wire codec, resource strings and wire names (kubeedge-wire §1).
 * @module
 */
export { errorReplyTo, isReply, newMessage, Op, replyTo } from "./message.ts";
export type { Message, MessageHeader, MessageRoute, NewMessage } from "./message.ts";
export { decodeMessage, encodeMessage, MessageFormatError } from "./message_codec.ts";
export { buildResource, fromCloudResource, parseResource, toCloudResource } from "./resource_string.ts";
export type { Resource } from "./resource_string.ts";
export { Group, ModuleName, ResourceType, Source } from "./names.ts";
