/**
 * KubeEdge's resource strings: `node/<node>/<ns>/<type>[/<name>]` inside the cloud, `<ns>/<type>[/<name>]` on
 * the wire and at the edge. CloudHub strips the node prefix going out and adds it coming in.
 *
 * @module
 */

/** The parts of an edge-form resource string. `name` is "" for collections (`default/podstatus`). */
export type Resource = { namespace: string; type: string; name: string };

/** Resource types that stand first in a resource string, with no namespace before them. */
const UNNAMESPACED = new Set(["membership", "device", "node", "twin"]);

/**
 * Parses an edge-form resource. Names may contain `/` (everything after the type is the name). Strings that start
 * with an unnamespaced type (`membership`, `device/<id>/twin/...`, `node`) get namespace "".
 *
 * @throws TypeError when the string is empty or has no type
 */
export function parseResource(s: string): Resource {
  const parts = s.split("/");
  if (!s || parts.some((p, i) => p === "" && i < 2 && parts.length > 1)) {
    throw new TypeError(`Cannot parse resource: expected "<namespace>/<type>[/<name>]", got ${JSON.stringify(s)}`);
  }
  if (UNNAMESPACED.has(parts[0])) return { namespace: "", type: parts[0], name: parts.slice(1).join("/") };
  if (parts.length < 2) {
    throw new TypeError(`Cannot parse resource: expected "<namespace>/<type>[/<name>]", got ${JSON.stringify(s)}`);
  }
  return { namespace: parts[0], type: parts[1], name: parts.slice(2).join("/") };
}

/** Builds an edge-form resource string. */
export function buildResource(namespace: string, type: string, name = ""): string {
  const head = namespace ? `${namespace}/${type}` : type;
  return name ? `${head}/${name}` : head;
}

/** Adds the cloud's node prefix: `default/pod/x` -> `node/edge-1/default/pod/x`. */
export function toCloudResource(node: string, edgeResource: string): string {
  return `node/${node}/${edgeResource}`;
}

/**
 * Splits a cloud-form resource into node and edge form.
 *
 * @throws TypeError when the string does not start with `node/<name>/`
 */
export function fromCloudResource(s: string): { node: string; resource: string } {
  const m = /^node\/([^/]+)\/(.+)$/.exec(s);
  if (!m) throw new TypeError(`Cannot parse cloud resource: expected "node/<node>/<resource>", got ${JSON.stringify(s)}`);
  return { node: m[1], resource: m[2] };
}
