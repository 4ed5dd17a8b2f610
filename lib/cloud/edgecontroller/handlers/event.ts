/**
 * `insert|update <ns>/event/<name>`: events the edge records (pulled image, back-off, probe failures) become
 * Kubernetes Events, reported as coming from the node.
 *
 * @module
 */
import type { CoreV1Event } from "@kubernetes/client-node";
import type { UpstreamDeps, UpstreamHandler } from "./types.ts";

/** Makes the event handler. */
export function eventHandler(deps: UpstreamDeps): UpstreamHandler {
  return async (msg, node, resource) => {
    const ev = msg.content as CoreV1Event;
    if (!ev || typeof ev !== "object" || !ev.involvedObject) throw new TypeError(`Cannot record event from node "${node}": no involvedObject`);
    const now = new Date();
    const body: CoreV1Event = {
      ...ev,
      metadata: { ...ev.metadata, namespace: resource.namespace, name: ev.metadata?.name ?? `${ev.involvedObject.name}.${Date.now().toString(16)}` },
      source: { component: "edged", host: node },
      firstTimestamp: ev.firstTimestamp ?? now,
      lastTimestamp: ev.lastTimestamp ?? now,
      count: ev.count ?? 1,
    };
    await deps.api.createEvent(resource.namespace, body);
  };
}
