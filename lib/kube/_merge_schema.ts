/**
 * The merge schema of built-in kinds: which lists merge by a key, which are sets of primitives. Strategic merge patch
 * and server-side apply share it; every other list is atomic (replaced whole).
 *
 * A location is the dotted path of map keys from the object root, list positions left out: the `env` lists inside
 * a Deployment's containers are all at `spec.template.spec.containers.env`. The strategies are the `patchStrategy`
 * and `patchMergeKey` tags of k8s.io/api. `retainKeys` strategies are not listed: the server acts
 * only on the `$retainKeys` directive a client sends.
 *
 * @module
 */

/** How a list merges: items matched by the value of `key`, or a set of primitives (union). */
export type ListStrategy = { readonly type: "map"; readonly key: string } | { readonly type: "set" };

function byKey(key: string): ListStrategy {
  return { type: "map", key };
}

const SET: ListStrategy = { type: "set" };

const METADATA: Record<string, ListStrategy> = { ownerReferences: byKey("uid"), finalizers: SET };

const CONTAINER: Record<string, ListStrategy> = {
  env: byKey("name"),
  ports: byKey("containerPort"),
  volumeMounts: byKey("mountPath"),
  volumeDevices: byKey("devicePath"),
};

const POD_SPEC: Record<string, ListStrategy> = {
  volumes: byKey("name"),
  imagePullSecrets: byKey("name"),
  hostAliases: byKey("ip"),
  topologySpreadConstraints: byKey("topologyKey"),
  schedulingGates: byKey("name"),
  resourceClaims: byKey("name"),
  ...Object.fromEntries(
    ["containers", "initContainers", "ephemeralContainers"].flatMap((list) => [
      [list, byKey("name")],
      ...Object.entries(CONTAINER).map(([field, strategy]) => [`${list}.${field}`, strategy]),
    ]),
  ),
};

const CONDITIONS: Record<string, ListStrategy> = { "status.conditions": byKey("type") };

function under(prefix: string, table: Record<string, ListStrategy>): Record<string, ListStrategy> {
  return Object.fromEntries(Object.entries(table).map(([path, s]) => [`${prefix}.${path}`, s]));
}

function podTemplateAt(prefix: string): Record<string, ListStrategy> {
  return { ...under(`${prefix}.metadata`, METADATA), ...under(`${prefix}.spec`, POD_SPEC) };
}

const WORKLOAD = { ...podTemplateAt("spec.template"), ...CONDITIONS };

// Kinds with list strategies beyond metadata.
const SPECIAL: Record<string, Record<string, ListStrategy>> = {
  Pod: {
    ...under("spec", POD_SPEC),
    ...CONDITIONS,
    "status.podIPs": byKey("ip"),
    "status.hostIPs": byKey("ip"),
  },
  PodTemplate: podTemplateAt("template"),
  Deployment: WORKLOAD,
  ReplicaSet: WORKLOAD,
  ReplicationController: WORKLOAD,
  StatefulSet: WORKLOAD,
  DaemonSet: WORKLOAD,
  Job: WORKLOAD,
  CronJob: podTemplateAt("spec.jobTemplate.spec.template"),
  Node: { "spec.podCIDRs": SET, ...CONDITIONS, "status.addresses": byKey("type") },
  Service: { "spec.ports": byKey("port"), ...CONDITIONS },
  ServiceAccount: { secrets: byKey("name") },
  Namespace: CONDITIONS,
  PersistentVolumeClaim: CONDITIONS,
  PodDisruptionBudget: CONDITIONS,
};

// Built-in kinds whose only merge lists are in metadata.
const PLAIN = [
  "ConfigMap", "Secret", "Event", "Endpoints", "EndpointSlice", "Lease", "LimitRange", "ResourceQuota",
  "PersistentVolume", "StorageClass", "PriorityClass", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding",
  "Ingress", "IngressClass", "NetworkPolicy", "HorizontalPodAutoscaler", "ControllerRevision",
  "CustomResourceDefinition",
];

const SCHEMA: ReadonlyMap<string, ReadonlyMap<string, ListStrategy>> = new Map(
  [...Object.entries(SPECIAL), ...PLAIN.map((kind): [string, Record<string, ListStrategy>] => [kind, {}])].map(
    ([kind, table]) => [kind, new Map(Object.entries({ ...under("metadata", METADATA), ...table }))],
  ),
);

/** True when `kind` is a built-in kind with a merge schema (custom resources are not). */
export function hasMergeSchema(kind: string): boolean {
  return SCHEMA.has(kind);
}

/** The strategy of the list at `path` in `kind`, or undefined when the list is atomic or the kind unknown. */
export function listStrategy(kind: string, path: string): ListStrategy | undefined {
  return SCHEMA.get(kind)?.get(path);
}
