/**
 * What EventBus does with each operation in its inbox: `publish` (from DeviceTwin, or a cloud message of group
 * `user`) sends the content to the topic in `route.resource`; `subscribe` (from the cloud) adds a topic whose messages
 * are then forwarded to the cloud.
 *
 * @module
 */
import type { Message } from "../../model/index.ts";

/** Operations EventBus handles. */
export type HandledOp = "publish" | "subscribe";

/** Handles one inbox message. */
export type Handler = (msg: Message) => Promise<void>;

/** What the handlers need from the module. */
export type HandlerDeps = {
  publish(topic: string, payload: string | Uint8Array): Promise<void>;
  subscribe(topic: string): Promise<void>;
};

/** Turns message content into an MQTT payload: strings and bytes as they are, anything else as JSON. */
export function payloadOf(content: unknown): string | Uint8Array {
  if (typeof content === "string" || content instanceof Uint8Array) return content;
  return JSON.stringify(content ?? null);
}

/** Builds the handler table. */
export function makeHandlers(deps: HandlerDeps): Record<HandledOp, Handler> {
  return {
    publish: (msg) => deps.publish(msg.route.resource, payloadOf(msg.content)),
    subscribe: (msg) => deps.subscribe(msg.route.resource),
  } satisfies Record<HandledOp, Handler>;
}
