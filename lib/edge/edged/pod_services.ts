/**
 * The Services a pod's service-link variables come from (`service_links.ts`): those of its namespace when
 * `enableServiceLinks` is not false, and `default/kubernetes` always, read from MetaManager's store, where the cloud
 * keeps the Services of this node's namespaces. A stored Service that is not well-formed (a name that is no DNS
 * label, an address or port of the wrong shape) is left out: its name and ports become variable names.
 *
 * @module
 */
import { ResourceType } from "../../model/index.ts";
import type { ObjectSource } from "./object_source.ts";
import type { LinkedService } from "./service_links.ts";
import type { Pod } from "./types.ts";

/** The most Services one pod's variables come from; the cloud sends no more than this per namespace. */
export const MAX_LINKED_SERVICES = 500;
/** The most ports of one Service that give variables. */
const MAX_PORTS = 100;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const IP = /^[0-9a-fA-F.:]{2,45}$/;
const PROTOCOLS = new Set(["TCP", "UDP", "SCTP"]);

/** True when a stored object can safely give service-link variables. */
export function isLinkable(s: unknown): s is LinkedService {
  const svc = s as LinkedService | null;
  if (!svc || typeof svc !== "object" || typeof svc.metadata?.name !== "string" || !DNS_LABEL.test(svc.metadata.name)) return false;
  const ip = svc.spec?.clusterIP;
  if (ip !== undefined && ip !== "None" && (typeof ip !== "string" || !IP.test(ip))) return false;
  const ports = svc.spec?.ports ?? [];
  if (!Array.isArray(ports) || ports.length > MAX_PORTS) return false;
  return ports.every((p) => p && Number.isInteger(p.port) && p.port! > 0 && p.port! < 65536
    && (p.name === undefined || (typeof p.name === "string" && DNS_LABEL.test(p.name)))
    && (p.protocol === undefined || PROTOCOLS.has(p.protocol)));
}

/**
 * The Services to pass to `resolveEnv` for a container of this pod.
 *
 * @throws BusError when MetaManager does not answer in time (the pod worker retries)
 */
export async function podServices(objects: ObjectSource, pod: Pod, signal?: AbortSignal): Promise<LinkedService[]> {
  const ns = pod.metadata.namespace ?? "default";
  const found: unknown[] = pod.spec.enableServiceLinks === false ? [] : await objects.list(ns, ResourceType.service, signal);
  if (ns !== "default" || pod.spec.enableServiceLinks === false) {
    const api = (await objects.list("default", ResourceType.service, signal)).find((s) => (s as LinkedService | null)?.metadata?.name === "kubernetes");
    if (api) found.push(api);
  }
  return found.filter(isLinkable).slice(0, MAX_LINKED_SERVICES);
}
