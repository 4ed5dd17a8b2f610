/**
 * `insert|update <ns>/event/<name>`: events the edge records (pulled image, back-off, probe failures) become
 * Kubernetes Events, reported as coming from the node. A node may record events only about its own objects (its
 * Node, in namespace `default` as the kubelet does, and pods bound to it, in their namespace), at most
 * {@link EVENT_LIMITS}.perMinute a minute with a burst, and only the fields below, bounded in size. The body is built
 * from checked fields, never copied: a node cannot set owner references, finalizers or labels on what it creates.
 * Events expire after an hour (the embedded API's event TTL controller; a real cluster's `--event-ttl`).
 *
 * A repeat (the same name again, with a higher count) updates the count and lastTimestamp of the Event the node
 * made before, as the kubelet's series do; an Event of that name made by anyone else, or about another object, is
 * refused.
 *
 * @module
 */
import type { CoreV1Event } from "@kubernetes/client-node";
import { shape } from "../../../kube/index.ts";
import { statusOf } from "../kube_api.ts";
import { RateLimiter } from "../../../core/index.ts";
import { ForbiddenError, InvalidReportError, type UpstreamDeps, type UpstreamHandler } from "./types.ts";

/** What one node may cost in Events. */
export const EVENT_LIMITS = {
  /** Events a node may create per minute, sustained. @default 60 */
  perMinute: 60,
  /** Events a node may create at once after a quiet period. @default 100 */
  burst: 100,
  /** Longest message kept; longer ones are cut, as the kubelet's recorder does. @default 1024 */
  messageChars: 1024,
};

const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

const eventShape = shape.obj({
  metadata: shape.opt(shape.obj({ name: shape.opt(shape.str(253, NAME)), namespace: shape.opt(shape.str(63)) }, { open: true })),
  involvedObject: shape.obj({
    kind: shape.oneOf("Node", "Pod"), name: shape.str(253), namespace: shape.opt(shape.str(63)), uid: shape.opt(shape.str(128)),
    apiVersion: shape.opt(shape.oneOf("v1")), resourceVersion: shape.opt(shape.str(64)), fieldPath: shape.opt(shape.str(512)),
  }, { required: ["kind", "name"] }),
  reason: shape.opt(shape.str(128)),
  message: shape.opt(shape.str(64 * 1024)),
  type: shape.opt(shape.oneOf("Normal", "Warning")),
  count: shape.opt(shape.int(1, 1_000_000)),
  firstTimestamp: shape.opt(shape.time),
  lastTimestamp: shape.opt(shape.time),
  source: shape.any, // replaced by the cloud: the node is the source
  apiVersion: shape.any,
  kind: shape.any,
}, { required: ["involvedObject"] });

type EventReport = {
  metadata?: { name?: string };
  involvedObject: { kind: "Node" | "Pod"; name: string; namespace?: string; uid?: string; fieldPath?: string; resourceVersion?: string };
  reason?: string; message?: string; type?: string; count?: number; firstTimestamp?: string; lastTimestamp?: string;
};

/** Makes the event handler. */
export function eventHandler(deps: UpstreamDeps, limits = EVENT_LIMITS): UpstreamHandler {
  const limiter = new RateLimiter(limits);
  return async (msg, node, resource) => {
    const ns = resource.namespace;
    const problem = eventShape(msg.content, "event");
    if (problem) throw new InvalidReportError(`Cannot record event from node "${node}": ${problem}`);
    const ev = msg.content as EventReport;
    const about = ev.involvedObject;
    if (about.kind === "Node") {
      if (about.name !== node || ns !== "default" || (about.namespace && about.namespace !== "default")) {
        throw new ForbiddenError(`node "${node}" may not record events about node "${about.name}" in namespace "${ns}"`);
      }
    } else {
      const pod = deps.caches.pods.get(about.name, ns);
      if ((about.namespace && about.namespace !== ns) || !pod || pod.spec?.nodeName !== node || (about.uid && about.uid !== pod.metadata?.uid)) {
        throw new ForbiddenError(`node "${node}" may not record events about pod "${about.namespace ?? ns}/${about.name}": it is not bound to the node`);
      }
    }
    if (!limiter.take(node)) {
      throw new ForbiddenError(`node "${node}" exceeds its event rate of ${limits.perMinute} a minute: event dropped`);
    }
    const now = new Date().toISOString();
    // A resend of the same event (at-least-once delivery) keeps its name and is then a no-op; a node cannot name
    // its events after another object's.
    const own = ev.metadata?.name;
    const name = own && own.startsWith(`${about.name}.`) ? own : `${about.name}.${Date.now().toString(16)}${Math.floor(Math.random() * 0x10000).toString(16)}`;
    const message = ev.message && ev.message.length > limits.messageChars ? `${ev.message.slice(0, limits.messageChars - 3)}...` : ev.message;
    const body: CoreV1Event = {
      apiVersion: "v1", kind: "Event",
      metadata: { name: name.slice(0, 253), namespace: ns },
      involvedObject: {
        apiVersion: "v1", kind: about.kind, name: about.name, namespace: about.kind === "Pod" ? ns : undefined,
        uid: about.uid, fieldPath: about.fieldPath, resourceVersion: about.resourceVersion,
      },
      reason: ev.reason, message, type: ev.type ?? "Normal",
      source: { component: "edged", host: node },
      reportingComponent: "edged", reportingInstance: node,
      firstTimestamp: (ev.firstTimestamp ?? now) as unknown as Date,
      lastTimestamp: (ev.lastTimestamp ?? now) as unknown as Date,
      count: ev.count ?? 1,
    };
    try {
      await deps.api.createEvent(ns, body);
    } catch (e) {
      if (statusOf(e) !== 409) throw e;
      await updateSeries(deps, node, ns, body);
    }
  };
}

/** Bumps count and lastTimestamp of the node's existing Event of the same name, when the report is newer. */
async function updateSeries(deps: UpstreamDeps, node: string, ns: string, report: CoreV1Event): Promise<void> {
  const name = report.metadata!.name!;
  const have = await deps.api.getEvent(ns, name);
  if (!have) return; // expired between the two calls: the next repeat creates it again
  const a = have.involvedObject, b = report.involvedObject;
  if (have.source?.host !== node || a.kind !== b.kind || a.name !== b.name || (a.uid ?? "") !== (b.uid ?? "") || have.reason !== report.reason) {
    throw new ForbiddenError(`node "${node}" may not update event "${ns}/${name}": it is not the node's event about ${b.kind} "${b.name}"`);
  }
  // A resend of a report already applied (at-least-once delivery) changes nothing.
  if ((report.count ?? 1) <= (have.count ?? 1)) return;
  await deps.api.patchEvent(ns, name, { count: report.count, lastTimestamp: report.lastTimestamp });
}
