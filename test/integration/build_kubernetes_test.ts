import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as yaml from "js-yaml";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cloudSchema, parseConfig } from "../../lib/config/index.ts";
import { VERSION } from "../../lib/version.ts";
import { startTestApiServer } from "../support/apiserver.ts";
import { ROOT } from "../support/process.ts";

type Doc = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [k: string]: any };
type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };

const dir = join(ROOT, "conf/kubernetes");
const docs: Doc[] = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .flatMap((f) => yaml.loadAll(readFileSync(join(dir, f), "utf8")) as Doc[])
  .filter(Boolean);
const find = (kind: string, name: string) => {
  const d = docs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!d) throw new Error(`no ${kind} "${name}" in conf/kubernetes`);
  return d;
};

function grants(rules: Rule[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of rules) {
    for (const g of r.apiGroups) for (const res of r.resources) out[`${g || "core"}/${res}`] = [...(out[`${g || "core"}/${res}`] ?? []), ...r.verbs].sort();
  }
  return out;
}

test("conf/kubernetes objects are named, labelled and live in kubeedge-ts (or kube-node-lease for leases)", () => {
  assert.ok(docs.length >= 10);
  for (const d of docs) {
    assert.ok(d.apiVersion && d.kind && d.metadata?.name, JSON.stringify(d).slice(0, 120));
    assert.is(d.metadata.labels?.["app.kubernetes.io/part-of"], "kubeedge-ts", `${d.kind} ${d.metadata.name}`);
    const clusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding"].includes(d.kind);
    if (!clusterScoped) assert.ok(["kubeedge-ts", "kube-node-lease"].includes(d.metadata.namespace!), `${d.kind} ${d.metadata.name}`);
  }
});

test("conf/kubernetes RBAC grants cloud_core exactly what it does and nothing more", () => {
  assert.equal(grants(find("ClusterRole", "kubeedge-ts-cloudcore").rules), {
    "core/nodes": ["create", "get", "list", "patch", "watch"],
    "core/nodes/status": ["patch"],
    "core/pods": ["delete", "list", "patch", "watch"],
    "core/pods/status": ["patch"],
    "core/configmaps": ["list", "watch"],
    "core/secrets": ["list", "watch"],
    "core/serviceaccounts/token": ["create"],
    "core/events": ["create", "get", "patch"],
    "core/services": ["list", "watch"],
    "devices.kubeedge.io/devices": ["get", "list", "patch", "watch"],
    "devices.kubeedge.io/devicemodels": ["list", "watch"],
    "devices.kubeedge.io/devices/status": ["patch"],
  });
  const leases = find("Role", "kubeedge-ts-cloudcore-leases");
  assert.is(leases.metadata.namespace, "kube-node-lease");
  assert.equal(grants(leases.rules), { "coordination.k8s.io/leases": ["create", "patch"] });
  for (const b of [find("ClusterRoleBinding", "kubeedge-ts-cloudcore"), find("RoleBinding", "kubeedge-ts-cloudcore-leases")]) {
    assert.equal(b.subjects, [{ kind: "ServiceAccount", name: "cloudcore", namespace: "kubeedge-ts" }]);
  }
});

test("conf/kubernetes config is a valid cloud.yaml that uses the mounted in-cluster kubeconfig", () => {
  const cm = find("ConfigMap", "cloudcore");
  const config = parseConfig(cm.data["cloud.yaml"], cloudSchema, "cloud.yaml");
  assert.is(config.kubernetes.kubeconfig, "/etc/kubeedge-ts/kubeconfig");
  assert.is(config.dataDir, "/var/lib/kubeedge-ts/cloud");
  const kubeconfig = yaml.load(cm.data.kubeconfig) as any;
  assert.is(kubeconfig.users[0].user["token-file"], "/var/run/secrets/kubernetes.io/serviceaccount/token");
  assert.is(kubeconfig.clusters[0].cluster["certificate-authority"], "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt");
});

test("conf/kubernetes Deployment runs this version's image as 65532 with its config, data claim and account", () => {
  const spec = find("Deployment", "cloudcore").spec;
  assert.is(spec.replicas, 1);
  assert.is(spec.strategy.type, "Recreate");
  const pod = spec.template.spec;
  const [c] = pod.containers;
  assert.is(c.image, `kubeedge-ts/cloud_core:${VERSION}`);
  assert.equal(c.args, ["--config", "/etc/kubeedge-ts/cloud.yaml"]);
  assert.is(pod.securityContext.runAsUser, 65532);
  assert.is(c.securityContext.readOnlyRootFilesystem, true);
  assert.is(pod.serviceAccountName, find("ServiceAccount", "cloudcore").metadata.name);
  const claim = pod.volumes.find((v: any) => v.persistentVolumeClaim).persistentVolumeClaim.claimName;
  assert.is(find("PersistentVolumeClaim", claim).metadata.name, "cloudcore-data");
  assert.equal(c.volumeMounts.map((m: any) => m.mountPath).sort(), ["/etc/kubeedge-ts", "/tmp", "/var/lib/kubeedge-ts"]);
  const svc = find("Service", "cloudcore").spec;
  assert.equal(svc.ports.map((p: any) => [p.port, p.targetPort]), [[10000, "cloudhub"], [6443, "api"]]);
  assert.equal(svc.selector, spec.selector.matchLabels);
});

test("kubectl apply of conf/crds and conf/kubernetes succeeds for every kind the embedded API serves", async () => {
  const api = await startTestApiServer();
  try {
    const served = (await api.kubectl(["api-resources", "--no-headers", "-o", "wide"])).stdout;
    const kinds = new Set(served.trim().split("\n").map((l) => l.trim().split(/\s+/)).map((cols) => cols.find((c) => /^[A-Z]/.test(c))));
    const crds = readdirSync(join(ROOT, "conf/crds")).filter((f) => f.endsWith(".yaml")).map((f) => readFileSync(join(ROOT, "conf/crds", f), "utf8"));
    const applicable = docs.filter((d) => kinds.has(d.kind));
    const skipped = docs.filter((d) => !kinds.has(d.kind)).map((d) => d.kind);
    assert.equal([...new Set(skipped)].sort(), ["ClusterRole", "ClusterRoleBinding", "PersistentVolumeClaim", "Role", "RoleBinding"]);
    const stdin = [...crds, ...applicable.map((d) => yaml.dump(d))].join("\n---\n");
    const r = await api.kubectl(["apply", "-f", "-"], { stdin });
    assert.is(r.code, 0, r.stderr);
    const image = await api.kubectl(["get", "deployment", "cloudcore", "-n", "kubeedge-ts", "-o", "jsonpath={.spec.template.spec.containers[0].image}"]);
    assert.is(image.stdout, `kubeedge-ts/cloud_core:${VERSION}`);
    const svc = await api.kubectl(["get", "service", "cloudcore", "-n", "kubeedge-ts", "-o", "jsonpath={.spec.ports[0].nodePort}"]);
    assert.is(svc.stdout, "30000");
  } finally {
    await api.close();
  }
});

test.run();
