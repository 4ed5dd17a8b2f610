/**
 * Cluster IPs and node ports for new services. The services in storage are the allocation record, so nothing extra
 * is stored and a restart loses nothing.
 *
 * Like a real cluster, a new service gets a random free address from the upper part of the range (10.111.184.4,
 * not 10.96.0.10), so nobody comes to rely on a sequence; the lower part is left for addresses asked for by name
 * (the `kubernetes` service's 10.96.0.1, a DNS service's 10.96.0.10), and used only when the upper part is full.
 *
 * @module
 */
import { randomInt } from "node:crypto";
import { isPlainObject, type JsonValue } from "../../kube/index.ts";
import { badRequest, type StatusCause } from "./status_error.ts";
import type { ObjectStorage } from "./storage.ts";

/** The service range 10.96.0.0/12; .0 is the network and .1 is the `kubernetes` service's. */
const RANGE_START = (10 << 24) | (96 << 16);
const RANGE_SIZE = 1 << 20;
/** The cluster IP of the `default/kubernetes` service, the first of the range as in a real cluster. */
export const KUBERNETES_SERVICE_IP = "10.96.0.1";
/** Offsets below this are handed out only when every one above is taken. */
const STATIC_BAND = 256;
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;
const NODE_PORT_STATIC_BAND = 86;
/** Random picks before a scan: with the range nearly full, a scan finds the last free one for certain. */
const RANDOM_TRIES = 32;

/** A free value: random in [band, end), else the first free one of [start, end). */
function pick(start: number, band: number, end: number, taken: (n: number) => boolean): number | undefined {
  for (let i = 0; i < RANDOM_TRIES; i++) {
    const n = randomInt(band, end);
    if (!taken(n)) return n;
  }
  for (let n = band; n < end; n++) if (!taken(n)) return n;
  for (let n = start; n < band; n++) if (!taken(n)) return n;
  return undefined;
}

/** The number of a dotted IPv4 address; undefined for anything else. */
function ipToNumber(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  return parts.some((b) => b > 255) ? undefined : parts.reduce((n, b) => n * 256 + b, 0);
}

function ipToText(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** Hands out free cluster IPs and node ports. */
export class ServiceAddresses {
  #storage: ObjectStorage;

  constructor(storage: ObjectStorage) {
    this.#storage = storage;
  }

  #used(): { ips: Set<string>; ports: Set<number> } {
    const ips = new Set<string>(), ports = new Set<number>();
    for (const { object } of this.#storage.list("services")) {
      const spec = isPlainObject(object.spec) ? object.spec : {};
      if (typeof spec.clusterIP === "string") ips.add(spec.clusterIP);
      for (const p of Array.isArray(spec.ports) ? spec.ports : []) if (isPlainObject(p) && typeof p.nodePort === "number") ports.add(p.nodePort);
    }
    return { ips, ports };
  }

  /**
   * @throws StatusError 400 when the range is exhausted
   */
  clusterIP(): string {
    const { ips } = this.#used();
    const off = pick(1, STATIC_BAND, RANGE_SIZE - 1, (n) => ips.has(ipToText(RANGE_START + n)));
    if (off !== undefined) return ipToText(RANGE_START + off);
    throw badRequest("Cannot allocate a cluster IP: the range 10.96.0.0/12 is full");
  }

  /**
   * What is wrong with the cluster IP and node ports a new service asks for by name, in the real server's words:
   * taken by another service, or outside the range.
   */
  requestedProblems(spec: JsonValue | undefined): StatusCause[] {
    if (!isPlainObject(spec)) return [];
    const { ips, ports } = this.#used();
    const causes: StatusCause[] = [];
    const ip = spec.clusterIP;
    if (typeof ip === "string" && ip !== "" && ip !== "None") {
      const n = ipToNumber(ip);
      const why = n === undefined || n <= RANGE_START || n >= RANGE_START + RANGE_SIZE - 1
        ? `the provided IP (${ip}) is not in the valid range. The range of valid IPs is 10.96.0.0/12`
        : ips.has(ip) ? "provided IP is already allocated" : undefined;
      if (why) causes.push({ reason: "FieldValueInvalid", field: "spec.clusterIPs", message: `Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: ${why}` });
    }
    (Array.isArray(spec.ports) ? spec.ports : []).forEach((p, i) => {
      const port = isPlainObject(p) ? p.nodePort : undefined;
      if (typeof port !== "number" || port === 0) return;
      const why = port < NODE_PORT_MIN || port > NODE_PORT_MAX
        ? `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`
        : ports.has(port) ? "provided port is already allocated" : undefined;
      if (why) causes.push({ reason: "FieldValueInvalid", field: `spec.ports[${i}].nodePort`, message: `Invalid value: ${port}: ${why}` });
    });
    return causes;
  }

  /**
   * @param alsoTaken ports already given to the service being defaulted
   * @throws StatusError 400 when every node port is taken
   */
  nodePort(alsoTaken: readonly number[] = []): number {
    const { ports } = this.#used();
    for (const p of alsoTaken) ports.add(p);
    const port = pick(NODE_PORT_MIN, NODE_PORT_MIN + NODE_PORT_STATIC_BAND, NODE_PORT_MAX + 1, (p) => ports.has(p));
    if (port !== undefined) return port;
    throw badRequest(`Cannot allocate a node port: ${NODE_PORT_MIN}-${NODE_PORT_MAX} are all taken`);
  }
}
