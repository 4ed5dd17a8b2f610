/**
 * What a DeviceTwin inbox message asks for: a device request (the MQTT topic EventBus put in `resource`), a cloud
 * request (`membership`, `membership/detail`, `device/<id>/twin/cloud_updated`) or a hub link event.
 *
 * @module
 */
import { Group, isReply, type Message, Op } from "../../model/index.ts";
import type { TwinRequest } from "./handlers/index.ts";
import { classifyTopic } from "./topics.ts";

const CLOUD_UPDATED = /^device\/(.+)\/twin\/cloud_updated$/;

/**
 * Classifies an inbox message.
 *
 * @returns the request, "reply" for replies (nothing to do), or undefined for a message DeviceTwin does not handle
 */
export function classifyRequest(msg: Message): TwinRequest | "reply" | undefined {
  const { group, operation, resource } = msg.route;
  if (group === Group.hub) {
    if (operation === Op.connected) return { action: "hubConnected" };
    if (operation === Op.disconnected) return { action: "hubDisconnected" };
    return undefined;
  }
  if (isReply(msg)) return "reply";
  if (resource.startsWith("$hw/")) {
    const t = classifyTopic(resource);
    if (!t) return undefined;
    return t.action === "membershipGet" ? { action: t.action, node: t.node, payload: msg.content } : { action: t.action, ident: t.ident, payload: msg.content };
  }
  if (resource === "membership") return { action: "membershipUpdate", payload: msg.content };
  if (resource === "membership/detail") return { action: "membershipDetail", payload: msg.content };
  const m = CLOUD_UPDATED.exec(resource);
  if (m) return { action: "twinCloudUpdate", ident: m[1], payload: msg.content };
  return undefined;
}
