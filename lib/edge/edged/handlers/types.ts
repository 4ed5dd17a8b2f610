/**
 * The handler contract of Edged's inbox: one handler per resource type, keyed by the type in the message's resource.
 *
 * @module
 */
import type { Message } from "../../../model/index.ts";
import type { NodeStatusReporter } from "../node_status.ts";
import type { ObjectSource } from "../object_source.ts";
import type { PodManager } from "../pod_manager.ts";

/** Resource types Edged handles. */
export type HandledType = "pod" | "configmap" | "secret" | "serviceaccounttoken" | "node";

/** What handlers act on. */
export type HandlerDeps = {
  pods: PodManager;
  objects: ObjectSource;
  node: NodeStatusReporter;
  /** The cloud link came up or went down. */
  linkChanged(up: boolean): void;
};

/** Handles one message. @returns false when the operation is not one this type knows */
export type Handler = (msg: Message, namespace: string, name: string) => boolean;
