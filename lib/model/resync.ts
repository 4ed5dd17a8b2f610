/**
 * The resync message: our extension to KubeEdge's operations, for level-based reconciliation. After every (re)connect
 * of a node the cloud sends each desired object as an `insert`, then ONE message
 *
 * ```json
 * {"route": {"source": "edgecontroller", "group": "resource", "operation": "sync", "resource": "node/<node>/*\/resync"},
 *  "content": {"types": ["pod", "configmap", "secret", "serviceaccounttoken", "service"], "keys": ["default/pod/nginx", "default/configmap/cfg"]}}
 * ```
 *
 * and the edge deletes every stored object of those types whose key is not listed. An optional
 * `content.resourceVersion` is the version the list was taken at: an edge object stored with a newer version
 * arrived after the list was made and is kept. KubeEdge itself has no such message; a KubeEdge edge ignores it.
 *
 * @module
 */
import { newMessage, type Message, Op } from "./message.ts";
import { Group, Source } from "./names.ts";
import { toCloudResource } from "./resource_string.ts";

/** Operation of the resync message (our extension). */
export const RESYNC_OPERATION = "sync";
/** Edge-form resource of the resync message. */
export const RESYNC_RESOURCE = "*/resync";
/** Object types a resync covers by default: what EdgeController sends to a node. */
export const RESYNC_TYPES = ["pod", "configmap", "secret", "serviceaccounttoken", "service"] as const;

/** Content of the resync message. Keys are edge-form resources `<namespace>/<type>/<name>`. */
export type ResyncContent = { types: string[]; keys: string[]; resourceVersion?: string };

/** A desired object for a node: its resource type and the object (namespace, name and version read from metadata). */
export type DesiredObject = {
  type: string;
  object: { metadata?: { name?: string; namespace?: string; resourceVersion?: string } };
};

/** Options of {@link buildResync}. */
export type ResyncOptions = {
  /** route.source of the messages. @default "edgecontroller" */
  source?: string;
  /** Types the edge reconciles; objects of other types are sent but never deleted. @default RESYNC_TYPES */
  types?: readonly string[];
  /** Version the desired state was read at (a list's resourceVersion), copied to the sync message. */
  resourceVersion?: string;
};

/** The edge-form key of an object: `<namespace>/<type>/<name>`. */
export function objectKey(namespace: string, type: string, name: string): string {
  return `${namespace}/${type}/${name}`;
}

/**
 * Builds the messages that bring a node to the desired state: one `insert` per object, then the `sync` message
 * listing every key. Resources are in cloud form (`node/<node>/...`), ready for `bus.send("cloudhub", m)`.
 *
 * @param node the node name
 * @param objects everything the node should hold now
 * @throws TypeError when an object has no metadata.name
 * @example Resync node edge-1 after it connects
 * ```ts
 * for (const m of buildResync("edge-1", [{ type: "pod", object: pod }, { type: "configmap", object: cm }])) {
 *   await bus.send("cloudhub", m);
 * }
 * ```
 */
export function buildResync(node: string, objects: DesiredObject[], options: ResyncOptions = {}): Message[] {
  const source = options.source ?? Source.edgeController;
  const keys: string[] = [];
  const out: Message[] = [];
  for (const { type, object } of objects) {
    const md = object.metadata ?? {};
    if (!md.name) throw new TypeError(`Cannot build resync for node "${node}": a ${type} has no metadata.name`);
    const key = objectKey(md.namespace || "default", type, md.name);
    keys.push(key);
    out.push(newMessage({
      source,
      group: Group.resource,
      operation: Op.insert,
      resource: toCloudResource(node, key),
      content: object,
      resourceVersion: md.resourceVersion ?? "",
    }));
  }
  const content: ResyncContent = { types: [...(options.types ?? RESYNC_TYPES)], keys };
  if (options.resourceVersion !== undefined) content.resourceVersion = options.resourceVersion;
  out.push(newMessage({ source, group: Group.resource, operation: RESYNC_OPERATION, resource: toCloudResource(node, RESYNC_RESOURCE), content }));
  return out;
}

/**
 * Checks the content of a resync message.
 *
 * @throws TypeError when `types` or `keys` is not a list of strings
 */
export function parseResyncContent(content: unknown): ResyncContent {
  const c = content as Partial<ResyncContent> | null;
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === "string");
  if (!c || typeof c !== "object" || !strings(c.types) || !strings(c.keys)) {
    throw new TypeError("Cannot apply resync: content must be {types: string[], keys: string[]}");
  }
  const out: ResyncContent = { types: c.types!, keys: c.keys! };
  if (typeof c.resourceVersion === "string" && c.resourceVersion) out.resourceVersion = c.resourceVersion;
  return out;
}
