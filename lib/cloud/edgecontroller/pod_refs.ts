/**
 * Which ConfigMaps and Secrets a pod uses: volumes (incl. projected), env, envFrom and imagePullSecrets. These are
 * what a node is entitled to read and what is sent to it with the pod.
 *
 * @module
 */
import type { V1Container, V1Pod } from "@kubernetes/client-node";

/** Names (in the pod's namespace) of the ConfigMaps and Secrets a pod references. */
export type PodRefs = { configMaps: Set<string>; secrets: Set<string> };

/** Collects the ConfigMaps and Secrets a pod references. */
export function podReferences(pod: V1Pod): PodRefs {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const spec = pod.spec;
  if (!spec) return { configMaps, secrets };
  for (const v of spec.volumes ?? []) {
    if (v.configMap?.name) configMaps.add(v.configMap.name);
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) configMaps.add(s.configMap.name);
      if (s.secret?.name) secrets.add(s.secret.name);
    }
  }
  const containers: V1Container[] = [...(spec.initContainers ?? []), ...spec.containers ?? []];
  for (const c of containers) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) configMaps.add(e.valueFrom.configMapKeyRef.name);
      if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
    }
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef?.name) configMaps.add(f.configMapRef.name);
      if (f.secretRef?.name) secrets.add(f.secretRef.name);
    }
  }
  for (const s of spec.imagePullSecrets ?? []) if (s.name) secrets.add(s.name);
  return { configMaps, secrets };
}
