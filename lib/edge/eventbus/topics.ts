/**
 * The MQTT topics EventBus listens on and where each one goes (KubeEdge's topics).
 *
 * @module
 */

/**
 * Topics EventBus subscribes to with QoS 1: KubeEdge v1.x's list plus the namespaced device forms KubeEdge 1.17 added
 * (`$hw/events/device/<ns>/<name>/...`). The twin patterns end in `+`, so our own `.../update/result` topics, one
 * level deeper, never come back to us.
 */
export const SUBSCRIBE_TOPICS: readonly string[] = [
  "$hw/events/upload/#",
  "$hw/events/device/+/state/update",
  "$hw/events/device/+/twin/+",
  "$hw/events/device/+/+/state/update",
  "$hw/events/device/+/+/twin/+",
  "$hw/events/node/+/membership/get",
  "SYS/dis/upload_records",
];

/** True for topics DeviceTwin handles (`$hw/events/device/...`, `$hw/events/node/...`); the rest go to the cloud. */
export function isDeviceTwinTopic(topic: string): boolean {
  return topic.startsWith("$hw/events/device/") || topic.startsWith("$hw/events/node/");
}
