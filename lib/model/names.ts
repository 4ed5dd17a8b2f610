/**
 * Module names, groups and resource types as they appear on the wire. Where KubeEdge's wire forces an odd name
 * (`websocket` for the edge hub, `twin` for devicetwin), the constant keeps the wire value and says so.
 *
 * @module
 */

/** Route groups: the edge routes cloud messages by these, as KubeEdge does. */
export const Group = {
  resource: "resource",
  twin: "twin",
  user: "user",
  func: "func",
  meta: "meta",
  hub: "hub",
  bus: "bus",
  /** Cloud-internal: a node to revoke (to the revocation module) or a revocation to enforce (to cloudhub). */
  revocation: "revocation",
} as const;

/** Route sources used by our modules (the values KubeEdge sends). */
export const Source = {
  edgeController: "edgecontroller",
  deviceController: "devicecontroller",
  cloudHub: "cloudhub",
  edged: "edged",
  metaManager: "metaManager",
  edgeHub: "edgehub",
  /** KubeEdge's devicetwin module calls itself "twin" on the wire. */
  twin: "twin",
  eventBus: "eventbus",
  serviceBus: "servicebus",
} as const;

/** Resource types in KubeEdge's resource strings. */
export const ResourceType = {
  pod: "pod",
  podList: "podlist",
  podStatus: "podstatus",
  configMap: "configmap",
  secret: "secret",
  node: "node",
  nodeStatus: "nodestatus",
  service: "service",
  endpoints: "endpoints",
  event: "event",
  lease: "lease",
  membership: "membership",
  device: "device",
} as const;

/**
 * Module names on the bus. Edge and cloud each have their own bus; a name is unique on its side. KubeEdge calls the
 * edge hub "websocket" and devicetwin "twin" internally; we use plain names on the bus because these never cross the
 * wire (route.source uses {@link Source}).
 */
export const ModuleName = {
  edgeHub: "edgehub",
  metaManager: "metamanager",
  edged: "edged",
  deviceTwin: "devicetwin",
  eventBus: "eventbus",
  serviceBus: "servicebus",
  cloudHub: "cloudhub",
  /** Edge: renews the node certificate over the link. */
  certRenewal: "certrenewal",
  edgeController: "edgecontroller",
  deviceController: "devicecontroller",
  revocation: "revocation",
} as const;
