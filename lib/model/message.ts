/**
 * The KubeEdge message: what cloud and edge exchange on the link and what modules exchange on the
 * bus. Field names and JSON keys are KubeEdge's, so a message encodes to the same bytes KubeEdge sends.
 *
 * @module
 */

/** Message metadata. `resourceversion` is the Kubernetes resourceVersion of the object in `content`, or "". */
export type MessageHeader = {
  msg_id: string;
  parent_msg_id: string;
  /** Unix milliseconds. */
  timestamp: number;
  resourceversion: string;
  /** True when the sender waits for a reply (`parent_msg_id` = this `msg_id`). */
  sync: boolean;
  /** Later KubeEdge versions add a message type; kept when present so it round-trips. */
  type?: string;
};

/** Where a message comes from and what it is about. */
export type MessageRoute = {
  source: string;
  /** Later KubeEdge versions add a destination; kept when present. */
  destination?: string;
  group: string;
  operation: string;
  resource: string;
};

/** A KubeEdge message. */
export type Message<C = unknown> = {
  header: MessageHeader;
  route: MessageRoute;
  content: C;
};

/** What a new message needs; everything else gets a fresh id and timestamp. */
export type NewMessage<C> = {
  source: string;
  group: string;
  operation: string;
  resource: string;
  content: C;
  resourceVersion?: string;
  sync?: boolean;
  parentId?: string;
};

/** Builds a message with a new UUIDv4 id and the current time. */
export function newMessage<C>(init: NewMessage<C>): Message<C> {
  return {
    header: {
      msg_id: crypto.randomUUID(),
      parent_msg_id: init.parentId ?? "",
      timestamp: Date.now(),
      resourceversion: init.resourceVersion ?? "",
      sync: init.sync ?? false,
    },
    route: { source: init.source, group: init.group, operation: init.operation, resource: init.resource },
    content: init.content,
  };
}

/** Operations of KubeEdge messages. */
export const Op = {
  insert: "insert",
  update: "update",
  patch: "patch",
  delete: "delete",
  query: "query",
  response: "response",
  error: "error",
  upload: "upload",
  keepalive: "keepalive",
  connected: "connected",
  disconnected: "disconnected",
} as const;

/**
 * A reply to `req`: new id, `parent_msg_id` = the request's id, operation `response`, the request's resource
 * (a KubeEdge reply carries the parent id).
 */
export function replyTo<C>(req: Message, content: C, source = req.route.source): Message<C> {
  return newMessage({
    source,
    group: req.route.group,
    operation: Op.response,
    resource: req.route.resource,
    content,
    parentId: req.header.msg_id,
  });
}

/** An error reply to `req`: operation `error` and a string content, as KubeEdge answers. */
export function errorReplyTo(req: Message, reason: string, source = req.route.source): Message<string> {
  const m = replyTo(req, reason, source);
  m.route.operation = Op.error;
  return m;
}

/** True when `m` answers a request (response or error with a parent id). */
export function isReply(m: Message): boolean {
  return m.header.parent_msg_id !== "" && (m.route.operation === Op.response || m.route.operation === Op.error);
}
