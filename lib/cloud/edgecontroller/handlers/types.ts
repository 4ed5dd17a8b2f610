/**
 * What an upstream handler gets: the message from a node, that node's name (from the link, so a node can only act
 * for itself), the parsed edge-form resource, and the shared dependencies.
 *
 * @module
 */
import type { Logger } from "../../../log/index.ts";
import type { Message, Resource } from "../../../model/index.ts";
import type { Caches } from "../caches.ts";
import type { EdgeKubeApi } from "../kube_api.ts";
import type { NodeIndex } from "../node_index.ts";
import type { PodTokenIssuer } from "../pod_tokens.ts";

/** Shared state of the upstream handlers. */
export type UpstreamDeps = {
  api: EdgeKubeApi;
  caches: Caches;
  index: NodeIndex;
  /** Service-account tokens of pods. */
  tokens: PodTokenIssuer;
  /** Sends a reply back through cloudhub. */
  reply: (msg: Message) => Promise<void>;
  log: Logger;
  /** @default 40 */
  leaseDurationSeconds: number;
  /**
   * Nodes whose Node was deleted (and revoked) while their link was up: until such a node links anew, with a
   * certificate the revocation lets through, a report still in flight on the old link must not register it again.
   */
  deletedWhileLinked: ReadonlySet<string>;
};

/** Handles one kind of message from a node. A throw becomes an error reply (for sync requests) and a log line. */
export type UpstreamHandler = (msg: Message, node: string, resource: Resource) => Promise<void>;

/** A report that does not fit its shape (KubeEdge's report keys and the core/v1 types): refused before anything is stored. */
export class InvalidReportError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = "InvalidReportError";
  }
}

/** A request the node may not make: answered with an error naming what was refused. */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ForbiddenError";
  }
}
