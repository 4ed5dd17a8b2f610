/**
 * Effects shared by the twin handlers: publishing a twin change (document, delta) and reporting to the cloud.
 *
 * @module
 */
import { Group, newMessage, Op, Source } from "../../../model/index.ts";
import type { TwinChange } from "../apply_twin_update.ts";
import { errorResult, freshBase, twinDeltaPayload, twinDocument } from "../payloads.ts";
import { TwinError } from "../twin_error.ts";
import { deviceTopic, Suffix } from "../topics.ts";
import type { BaseMessage, MsgTwin } from "../types.ts";
import type { Effects } from "./types.ts";

/** Effects with nothing in them yet. */
export function noEffects(): Effects {
  return { publish: [], reports: [] };
}

/** Publishes a document and a delta, when there are any, on each of the device's topic names. */
export function publishChange(
  fx: Effects,
  names: string[],
  base: BaseMessage,
  change: TwinChange,
  delta: { twin: Record<string, MsgTwin>; delta: Record<string, string> } | undefined,
): void {
  const hasDoc = Object.keys(change.document).length > 0;
  const deltaPayload = delta && twinDeltaPayload(freshBase(base.timestamp), delta);
  for (const name of names) {
    if (hasDoc) fx.publish.push([deviceTopic(name, Suffix.document), twinDocument(base, change.document)]);
    if (deltaPayload) fx.publish.push([deviceTopic(name, Suffix.delta), deltaPayload]);
  }
}

/** The `edge_updated` report of a device's twins (KubeEdge's DeviceTwinResult with versions). */
export function edgeUpdated(deviceId: string, twin: Record<string, MsgTwin>, twinSeq: number, now = Date.now()) {
  const content = { ...freshBase(now), twin };
  // Group `twin`: cloudhub routes it to devicecontroller (group `resource` would reach edgecontroller).
  const msg = newMessage({ source: Source.twin, group: Group.twin, operation: Op.update, resource: `device/${deviceId}/twin/edge_updated`, content });
  return { msg, deviceId, twinSeq };
}

/** The state report of a device: DeviceMsg on resource `device/<id>/state`. */
export function stateReport(deviceId: string, content: unknown, stateSeq: number) {
  const msg = newMessage({ source: Source.twin, group: Group.twin, operation: Op.update, resource: `device/${deviceId}/state`, content });
  return { msg, deviceId, stateSeq };
}

/** Effects that answer a request with an error result on `topic`; errors other than TwinError answer 500. */
export function errorEffects(topic: string, err: unknown, eventId = ""): Effects {
  const fx: Effects = { ...noEffects(), rejected: true };
  if (err instanceof TwinError) fx.publish.push([topic, errorResult(err.eventId || eventId, err.code, err.message)]);
  else fx.publish.push([topic, errorResult(eventId, 500, err instanceof Error ? err.message : String(err))]);
  return fx;
}
