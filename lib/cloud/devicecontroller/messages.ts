/**
 * The messages DeviceController sends towards edge nodes (through cloudhub, cloud-form resources).
 *
 * @module
 */
import { Group, type Message, newMessage, Op, Source, toCloudResource } from "../../model/index.ts";
import type { EdgeDevice, MsgTwin } from "./types.ts";

function base(now: number) {
  return { event_id: crypto.randomUUID(), timestamp: now };
}

/** MembershipUpdate to `node/<node>/membership`: devices bound to or unbound from the node. */
export function membershipMessage(node: string, added: EdgeDevice[], removed: EdgeDevice[], now = Date.now()): Message {
  const content = { ...base(now), added_devices: added, removed_devices: removed };
  return newMessage({ source: Source.deviceController, group: Group.twin, operation: Op.update, resource: toCloudResource(node, "membership"), content });
}

/** The node's full device list to `node/<node>/membership/detail`: the edge adds what it lacks and removes the rest. */
export function membershipDetailMessage(node: string, devices: EdgeDevice[], now = Date.now()): Message {
  const content = { ...base(now), devices };
  return newMessage({ source: Source.deviceController, group: Group.twin, operation: Op.update, resource: toCloudResource(node, "membership/detail"), content });
}

/**
 * DeviceTwinUpdate to `node/<node>/device/<id>/twin/cloud_updated`. It carries the Device's resourceVersion, so
 * cloudhub keeps it until the edge ACKs it and a newer one replaces an older one still waiting.
 */
export function cloudUpdatedMessage(node: string, id: string, twin: Record<string, MsgTwin>, resourceVersion: string, now = Date.now()): Message {
  const content = { ...base(now), twin };
  return newMessage({
    source: Source.deviceController, group: Group.twin, operation: Op.update,
    resource: toCloudResource(node, `device/${id}/twin/cloud_updated`), content, resourceVersion,
  });
}
