/**
 * What every MetaManager handler gets, and the replies they share: ACK and answers to the cloud (through EdgeHub),
 * answers to local modules (bus.respond), and forwarding to edged.
 *
 * @module
 */
import type { Bus } from "../../../core/index.ts";
import type { Logger } from "../../../log/index.ts";
import { errorReplyTo, type Message, ModuleName, parseResource, replyTo, Source } from "../../../model/index.ts";
import type { MetaTable } from "../meta_table.ts";
import type { MetaManagerCounters } from "../types.ts";

/** A message handler. It must start its store write before its first await (see meta_table.ts). */
export type Handler = (msg: Message) => Promise<void>;

/** Shared by the handlers. `link.connected` follows EdgeHub's hub events. */
export type HandlerDeps = {
  table: MetaTable;
  bus: Bus;
  log: Logger;
  counters: MetaManagerCounters;
  link: { connected: boolean };
  remoteQueryTimeoutMs: number;
};

/** Object types edged acts on (see lib/edge/edged/index.ts). */
export const EDGED_TYPES = new Set(["pod", "configmap", "secret", "serviceaccounttoken"]);

/** The object a message is about: key `<ns>/<type>/<name>`. @throws TypeError when the resource names no object */
export function objectOf(msg: Message): { key: string; type: string; namespace: string; name: string } {
  const r = parseResource(msg.route.resource);
  if (!r.name) throw new TypeError(`Cannot ${msg.route.operation} "${msg.route.resource}": resource names no object`);
  return { key: msg.route.resource, type: r.type, namespace: r.namespace, name: r.name };
}

/** The version a cloud message carries: the header's, else the object's metadata.resourceVersion. */
export function versionOf(msg: Message): string {
  if (msg.header.resourceversion) return msg.header.resourceversion;
  const md = (msg.content as { metadata?: { resourceVersion?: unknown } } | null)?.metadata;
  return typeof md?.resourceVersion === "string" ? md.resourceVersion : "";
}

/** Sends a message to the cloud through EdgeHub (dropped when EdgeHub is not on this bus). */
export async function toCloud(d: HandlerDeps, msg: Message): Promise<void> {
  if (d.bus.moduleNames.includes(ModuleName.edgeHub)) await d.bus.send(ModuleName.edgeHub, msg);
}

/** KubeEdge's ACK: `response` with parent_msg_id = the received id and content "OK". Versioned messages only. */
export async function ack(d: HandlerDeps, msg: Message): Promise<void> {
  if (msg.header.resourceversion === "") return;
  d.counters.acked++;
  await toCloud(d, replyTo(msg, "OK", Source.metaManager));
}

/** Answers a request from a local module or from the cloud. */
export async function answer(d: HandlerDeps, msg: Message, fromCloud: boolean, content: unknown): Promise<void> {
  const reply = replyTo(msg, content, Source.metaManager);
  if (fromCloud) await toCloud(d, reply);
  else d.bus.respond(reply);
}

/** Answers with an `error` reply. */
export async function answerError(d: HandlerDeps, msg: Message, fromCloud: boolean, reason: string): Promise<void> {
  const reply = errorReplyTo(msg, reason, Source.metaManager);
  if (fromCloud) await toCloud(d, reply);
  else d.bus.respond(reply);
}

/** Passes a pod / configmap / secret change to edged when edged runs here. */
export async function forwardToEdged(d: HandlerDeps, msg: Message, type: string): Promise<void> {
  if (!EDGED_TYPES.has(type) || !d.bus.moduleNames.includes(ModuleName.edged)) return;
  d.counters.forwarded++;
  await d.bus.send(ModuleName.edged, msg);
}
