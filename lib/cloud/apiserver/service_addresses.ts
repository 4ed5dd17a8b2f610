/**
 * Cluster IPs and node ports for new services. The services in storage are the allocation record, so nothing extra
 * is stored and a restart loses nothing.
 *
 * @module
 */
import { isPlainObject } from "../../kube/index.ts";
import { badRequest } from "./status_error.ts";
import type { ObjectStorage } from "./storage.ts";

/** The service range 10.96.0.0/12; .0 is the network and .1 is kept for a `kubernetes` service. */
const RANGE_START = (10 << 24) | (96 << 16);
const RANGE_SIZE = 1 << 20;
const FIRST_OFFSET = 10;
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

function ipToText(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** Hands out the lowest free cluster IP and node port. */
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
    for (let off = FIRST_OFFSET; off < RANGE_SIZE - 1; off++) {
      const ip = ipToText(RANGE_START + off);
      if (!ips.has(ip)) return ip;
    }
    throw badRequest("Cannot allocate a cluster IP: the range 10.96.0.0/12 is full");
  }

  /**
   * @param alsoTaken ports already given to the service being defaulted
   * @throws StatusError 400 when every node port is taken
   */
  nodePort(alsoTaken: readonly number[] = []): number {
    const { ports } = this.#used();
    for (const p of alsoTaken) ports.add(p);
    for (let p = NODE_PORT_MIN; p <= NODE_PORT_MAX; p++) if (!ports.has(p)) return p;
    throw badRequest(`Cannot allocate a node port: ${NODE_PORT_MIN}-${NODE_PORT_MAX} are all taken`);
  }
}
