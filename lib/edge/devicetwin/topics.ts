/**
 * DeviceTwin's MQTT topics, KubeEdge's: which request a topic carries and where its answers go. A device is
 * named by its id (`$hw/events/device/<id>/...`) or, since KubeEdge 1.17, by namespace and name
 * (`$hw/events/device/<ns>/<name>/...`); answers go back on the form the device used.
 *
 * @module
 */

const DEVICE_PREFIX = "$hw/events/device/";
const NODE_PREFIX = "$hw/events/node/";

/** Device requests that arrive on MQTT topics. */
export type DeviceTopicAction = "twinUpdate" | "twinGet" | "twinCloudUpdate" | "stateUpdate";

const DEVICE_SUFFIXES: [string, DeviceTopicAction][] = [
  ["/twin/update", "twinUpdate"],
  ["/twin/get", "twinGet"],
  ["/twin/cloud_updated", "twinCloudUpdate"],
  ["/state/update", "stateUpdate"],
];

/** A classified topic: `ident` is the device part (`<id>` or `<ns>/<name>`), `node` the node of a membership get. */
export type TopicRequest = { action: DeviceTopicAction; ident: string } | { action: "membershipGet"; node: string };

/** Reads a topic. @returns undefined for topics DeviceTwin does not handle */
export function classifyTopic(topic: string): TopicRequest | undefined {
  if (topic.startsWith(DEVICE_PREFIX)) {
    const rest = topic.slice(DEVICE_PREFIX.length);
    for (const [suffix, action] of DEVICE_SUFFIXES) {
      if (!rest.endsWith(suffix)) continue;
      const ident = rest.slice(0, -suffix.length);
      const parts = ident.split("/");
      if (parts.length > 2 || parts.some((p) => p === "" || p === "+" || p === "#")) return undefined;
      return { action, ident };
    }
    return undefined;
  }
  const m = /^\$hw\/events\/node\/([^/+#]+)\/membership\/get$/.exec(topic);
  return m ? { action: "membershipGet", node: m[1] } : undefined;
}

/** `$hw/events/device/<ident><suffix>`, e.g. deviceTopic("dht11", "/twin/update/result"). */
export function deviceTopic(ident: string, suffix: string): string {
  return `${DEVICE_PREFIX}${ident}${suffix}`;
}

/** `$hw/events/node/<node><suffix>`, e.g. nodeTopic("edge-1", "/membership/updated"). */
export function nodeTopic(node: string, suffix: string): string {
  return `${NODE_PREFIX}${node}${suffix}`;
}

/** Answer topic suffixes. */
export const Suffix = {
  updateResult: "/twin/update/result",
  delta: "/twin/update/delta",
  document: "/twin/update/document",
  getResult: "/twin/get/result",
  stateResult: "/state/update/result",
  attrUpdated: "/updated",
  membershipGetResult: "/membership/get/result",
  membershipUpdated: "/membership/updated",
} as const;

/**
 * True when an MQTT client (a device or mapper, anything but edge_core itself) may publish on `topic`. Under
 * `$hw/events/device/` and `$hw/events/node/` only the device requests are open: `twin/update`, `twin/get`,
 * `state/update` and `membership/get`. The rest there is edge_core's to publish: `twin/cloud_updated` carries
 * expected values that only come from the cloud, and the `.../result`, `.../delta`, `.../document`, `/updated` and
 * `membership/updated` answers are what mappers trust as the edge's word. Other topics (`$hw/events/upload/...`,
 * user topics) stay open.
 */
export function deviceMayPublish(topic: string): boolean {
  if (!topic.startsWith(DEVICE_PREFIX) && !topic.startsWith(NODE_PREFIX)) return true;
  const request = classifyTopic(topic);
  return request !== undefined && request.action !== "twinCloudUpdate";
}
