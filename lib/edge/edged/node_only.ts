/**
 * The node without pods (`edged.enable: false`): only the node status, so the node registers and turns Ready for its
 * devices while offering no pod slots. It takes Edged's place in the module list but not its name, so MetaManager
 * hands it no pods.
 *
 * @module
 */
import type { Module, ModuleContext } from "../../core/index.ts";
import { buildResource, errorReplyTo, Group, newMessage, Op, ResourceType, Source } from "../../model/index.ts";
import { NodeStatusReporter } from "./node_status.ts";

/** How the devices-only node is set up. */
export type NodeOnlyOptions = {
  nodeName: string;
  /** Reported as InternalIP. Default: the first non-loopback IPv4 address. */
  nodeIP?: string;
  /** Node status interval. @default 10000 */
  statusIntervalMs?: number;
  /** Module that forwards statuses to the cloud. @default "metamanager" */
  metaModule?: string;
};

/**
 * Reports this node's status (Ready, no pods) to MetaManager as `update default/nodestatus/<node>`, and again at once
 * when EdgeHub announces `connected`.
 *
 * @example In an edge_core module list, instead of Edged
 * ```ts
 * bus.register(new NodeOnly({ nodeName: "edge-1" }));
 * ```
 */
export class NodeOnly implements Module {
  readonly name = "edged-node";
  readonly group = "edged";
  readonly #o: NodeOnlyOptions;

  constructor(options: NodeOnlyOptions) {
    this.#o = options;
  }

  async start(ctx: ModuleContext): Promise<void> {
    const { bus, log, signal } = ctx;
    const metaModule = this.#o.metaModule ?? "metamanager";
    const resource = buildResource("default", ResourceType.nodeStatus, this.#o.nodeName);
    const node = new NodeStatusReporter({
      nodeName: this.#o.nodeName, nodeIP: this.#o.nodeIP, maxPods: 0, intervalMs: this.#o.statusIntervalMs ?? 10_000, log: log.child("node"),
      send: (content) => bus.send(metaModule, newMessage({ source: Source.edged, group: Group.meta, operation: Op.update, resource, content }), signal),
    });
    const reporting = node.run(signal);
    log.info("node status without pods (edged.enable: false)", { node: this.#o.nodeName });
    try {
      for await (const msg of ctx.inbox) {
        if (msg.route.operation === Op.connected) node.nudge();
        else if (msg.header.sync) bus.respond(errorReplyTo(msg, `pods are disabled on node "${this.#o.nodeName}" (edged.enable: false)`, Source.edged));
      }
    } finally {
      await reporting;
    }
  }
}
