/**
 * The environment a pod gets from Services, as the kubelet sets it: for each Service of the pod's namespace (when
 * `enableServiceLinks` is not false) and always for `default/kubernetes`, the Docker-link style variables
 * `WEB_SERVICE_HOST=10.100.0.7`, `WEB_SERVICE_PORT=80`, `WEB_SERVICE_PORT_HTTP=80`, `WEB_PORT=tcp://10.100.0.7:80`,
 * `WEB_PORT_80_TCP=tcp://10.100.0.7:80`, `…_PROTO`, `…_PORT`, `…_ADDR`. These come first: a container's own `env`
 * and `envFrom` may use them in `$(VAR)` and override them.
 *
 * @module
 */

/** What the variables need of a Service. */
export type LinkedService = {
  metadata?: { name?: string; namespace?: string };
  spec?: { clusterIP?: string; ports?: { name?: string; port?: number; protocol?: string }[] };
};

/** The namespace and name of the Service every pod is told about, whatever `enableServiceLinks` says. */
const API_SERVICE = { namespace: "default", name: "kubernetes" };

/** `my-svc` -> `MY_SVC`, as variable names need. */
function varName(name: string): string {
  return name.toUpperCase().replaceAll("-", "_");
}

/** The Services whose variables a pod gets: its namespace's (linked), and `default/kubernetes` unless shadowed. */
function linked(namespace: string, enableServiceLinks: boolean | undefined, services: readonly LinkedService[]): Map<string, LinkedService> {
  const byName = new Map<string, LinkedService>();
  const hasAddress = (s: LinkedService) => !!s.spec?.clusterIP && s.spec.clusterIP !== "None";
  if (enableServiceLinks !== false) {
    for (const s of services) if (s.metadata?.namespace === namespace && s.metadata.name && hasAddress(s)) byName.set(s.metadata.name, s);
  }
  const api = services.find((s) => s.metadata?.namespace === API_SERVICE.namespace && s.metadata.name === API_SERVICE.name);
  if (api && hasAddress(api) && !byName.has(API_SERVICE.name)) byName.set(API_SERVICE.name, api);
  return byName;
}

/**
 * The service-link variables of a pod, in a stable order (by Service name).
 *
 * @param enableServiceLinks the pod's `spec.enableServiceLinks`; unset means true, as the API defaults it
 * @param services every Service the node knows of; those of other namespaces are ignored
 */
export function serviceLinkEnv(namespace: string, enableServiceLinks: boolean | undefined, services: readonly LinkedService[]): Map<string, string> {
  const env = new Map<string, string>();
  const chosen = [...linked(namespace, enableServiceLinks, services)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, svc] of chosen) {
    const prefix = varName(name);
    const ip = svc.spec!.clusterIP!;
    const host = ip.includes(":") ? `[${ip}]` : ip;
    const ports = (svc.spec?.ports ?? []).filter((p) => typeof p.port === "number");
    env.set(`${prefix}_SERVICE_HOST`, ip);
    if (ports.length) env.set(`${prefix}_SERVICE_PORT`, String(ports[0]!.port));
    for (const p of ports) if (p.name) env.set(`${prefix}_SERVICE_PORT_${varName(p.name)}`, String(p.port));
    ports.forEach((p, i) => {
      const proto = (p.protocol ?? "TCP").toUpperCase();
      const url = `${proto.toLowerCase()}://${host}:${p.port}`;
      const base = `${prefix}_PORT_${p.port}_${proto}`;
      if (i === 0) env.set(`${prefix}_PORT`, url);
      env.set(base, url);
      env.set(`${base}_PROTO`, proto.toLowerCase());
      env.set(`${base}_PORT`, String(p.port));
      env.set(`${base}_ADDR`, ip);
    });
  }
  return env;
}
