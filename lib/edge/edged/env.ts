/**
 * A container's environment: service links, `env` (values, ConfigMap and Secret keys, pod fields, resource limits)
 * and `envFrom`, in the order the kubelet applies them (links, envFrom, then env; later wins), with `$(VAR)` expansion.
 *
 * @module
 */
import { cpus, totalmem } from "node:os";
import { EdgedError } from "./edged_error.ts";
import { expandVars, fieldRefValue, type PodFacts } from "./field_ref.ts";
import type { ObjectSource } from "./object_source.ts";
import { type LinkedService, serviceLinkEnv } from "./service_links.ts";
import { parseQuantity } from "../../kube/index.ts";
import type { ConfigMap, Container, Pod, Secret } from "./types.ts";

/** What resolving needs; `services`, when known, give the service-link variables (`service_links.ts`). */
export type EnvDeps = { objects: ObjectSource; facts: PodFacts; signal?: AbortSignal; services?: readonly LinkedService[] };

/**
 * Resolves the environment of `container` as ordered `NAME=value` pairs.
 *
 * @throws EdgedError `EDGED_NOT_FOUND` when a non-optional ConfigMap, Secret or key is missing; `EDGED_CONFIG` for
 *   a bad field path or resource
 */
export async function resolveEnv(pod: Pod, container: Container, deps: EnvDeps): Promise<Map<string, string>> {
  const ns = pod.metadata.namespace ?? "default";
  // service links first: the container's own variables may use them and win over them
  const vars = deps.services ? serviceLinkEnv(ns, pod.spec.enableServiceLinks, deps.services) : new Map<string, string>();
  for (const src of container.envFrom ?? []) {
    const prefix = src.prefix ?? "";
    if (src.configMapRef) {
      const data = await configMapData(deps, ns, src.configMapRef.name, src.configMapRef.optional);
      for (const [k, v] of Object.entries(data)) vars.set(prefix + k, text(v));
    }
    if (src.secretRef) {
      const data = await secretData(deps, ns, src.secretRef.name, src.secretRef.optional);
      for (const [k, v] of Object.entries(data)) vars.set(prefix + k, text(v));
    }
  }
  for (const e of container.env ?? []) {
    const from = e.valueFrom;
    if (!from) {
      vars.set(e.name, expandVars(e.value ?? "", vars));
    } else if (from.fieldRef) {
      vars.set(e.name, fieldRefValue(pod, from.fieldRef.fieldPath, deps.facts));
    } else if (from.configMapKeyRef) {
      const r = from.configMapKeyRef;
      const v = (await configMapData(deps, ns, r.name ?? "", r.optional))[r.key];
      if (v !== undefined) vars.set(e.name, text(v));
      else if (!r.optional) throw new EdgedError("EDGED_NOT_FOUND", `Cannot set env "${e.name}": key "${r.key}" not found in configmap "${ns}/${r.name}"`);
    } else if (from.secretKeyRef) {
      const r = from.secretKeyRef;
      const v = (await secretData(deps, ns, r.name ?? "", r.optional))[r.key];
      if (v !== undefined) vars.set(e.name, text(v));
      else if (!r.optional) throw new EdgedError("EDGED_NOT_FOUND", `Cannot set env "${e.name}": key "${r.key}" not found in secret "${ns}/${r.name}"`);
    } else if (from.resourceFieldRef) {
      vars.set(e.name, resourceValue(pod, container, from.resourceFieldRef));
    }
  }
  return vars;
}

/** The data of a ConfigMap, `data` and `binaryData` as bytes (`{}` when optional and missing). */
export async function configMapData(deps: EnvDeps, ns: string, name: string, optional?: boolean): Promise<Record<string, Uint8Array>> {
  const r = await deps.objects.get<ConfigMap>(ns, "configmap", name, deps.signal);
  if (!r.found) {
    if (optional) return {};
    throw new EdgedError("EDGED_NOT_FOUND", r.reason);
  }
  const out: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(r.object.data ?? {})) out[k] = Buffer.from(v, "utf8");
  for (const [k, v] of Object.entries(r.object.binaryData ?? {})) out[k] = Buffer.from(v, "base64");
  return out;
}

/** The decoded data of a Secret as bytes (`{}` when optional and missing). */
export async function secretData(deps: EnvDeps, ns: string, name: string, optional?: boolean): Promise<Record<string, Uint8Array>> {
  const r = await deps.objects.get<Secret>(ns, "secret", name, deps.signal);
  if (!r.found) {
    if (optional) return {};
    throw new EdgedError("EDGED_NOT_FOUND", r.reason);
  }
  const out: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(r.object.data ?? {})) out[k] = Buffer.from(v, "base64");
  for (const [k, v] of Object.entries(r.object.stringData ?? {})) out[k] = Buffer.from(v, "utf8");
  return out;
}

function text(b: Uint8Array): string {
  return Buffer.from(b).toString("utf8");
}

function resourceValue(pod: Pod, container: Container, ref: { containerName?: string; resource: string; divisor?: string | number }): string {
  const c = ref.containerName ? pod.spec.containers.find((x) => x.name === ref.containerName) ?? container : container;
  const [kind, res] = ref.resource.split(".");
  const set = kind === "limits" ? c.resources?.limits : kind === "requests" ? c.resources?.requests : undefined;
  if (!set && kind !== "limits" && kind !== "requests") throw new EdgedError("EDGED_CONFIG", `Cannot resolve resourceFieldRef "${ref.resource}"`);
  const raw = set?.[res];
  // an unset limit reads as the node's capacity, as in the kubelet
  const value = raw !== undefined ? parseQuantity(raw) : res === "cpu" ? cpus().length : res === "memory" ? totalmem() : 0;
  const divisor = ref.divisor !== undefined ? parseQuantity(ref.divisor) : 1;
  return String(Math.ceil(value / divisor));
}
