import { test } from "uvu";
import * as assert from "uvu/assert";
import { kubectl } from "../support/kubectl.ts";
import { CLOUD_NS, createRealCloud, installConf, type RealCloud } from "./_cloud.ts";

// conf/crds/ and conf/kubernetes/ apply cleanly to a real kube-apiserver, and the ServiceAccount they define may do
// what cloud_core needs and nothing beyond it.

let rc: RealCloud | undefined;

test.before(async () => {
  rc = await createRealCloud();
});

test.after(async () => {
  await rc?.close(false);
});

test("kubectl apply -f conf/crds/ -f conf/kubernetes/ succeeds on the real API (again: it is idempotent)", async () => {
  if (!rc) return;
  const out = await installConf(rc.admin);
  for (const o of [
    "customresourcedefinition.apiextensions.k8s.io/devices.devices.kubeedge.io", "customresourcedefinition.apiextensions.k8s.io/devicemodels.devices.kubeedge.io",
    "namespace/kubeedge-ts", "serviceaccount/cloudcore", "clusterrole.rbac.authorization.k8s.io/kubeedge-ts-cloudcore",
    "clusterrolebinding.rbac.authorization.k8s.io/kubeedge-ts-cloudcore", "role.rbac.authorization.k8s.io/kubeedge-ts-cloudcore-leases",
    "rolebinding.rbac.authorization.k8s.io/kubeedge-ts-cloudcore-leases", "role.rbac.authorization.k8s.io/kubeedge-ts-cloudcore-join-tokens",
    "rolebinding.rbac.authorization.k8s.io/kubeedge-ts-cloudcore-join-tokens", "role.rbac.authorization.k8s.io/kubeedge-ts-cloudcore-revocation",
    "rolebinding.rbac.authorization.k8s.io/kubeedge-ts-cloudcore-revocation", "configmap/kubeedge-ts-revoked-nodes", "configmap/cloudcore", "persistentvolumeclaim/cloudcore-data",
    "deployment.apps/cloudcore", "service/cloudcore",
  ]) assert.match(out, `${o} `, `kubectl apply output names ${o}:\n${out}`);
  const crd = JSON.parse(await rc.kubectl(["get", "crd", "devicemodels.devices.kubeedge.io", "-o", "json"]));
  assert.ok(crd.status.conditions.some((c: any) => c.type === "Established" && c.status === "True"));
});

const can = async (args: string[]) => {
  const r = await kubectl(rc!.cloudIdentity, ["auth", "can-i", ...args], { timeoutMs: 30_000 });
  return r.stdout.trim();
};

test("the cloudcore ServiceAccount may do what cloud_core does", async () => {
  if (!rc) return;
  const allowed = [
    ["create", "nodes"], ["patch", "nodes"], ["watch", "nodes"], ["patch", "nodes", "--subresource=status"],
    ["watch", "pods", "--all-namespaces"], ["patch", "pods", "-n", "default"], ["delete", "pods", "-n", "default"],
    ["patch", "pods", "--subresource=status", "-n", "default"], ["watch", "secrets", "--all-namespaces"],
    ["watch", "configmaps", "--all-namespaces"], ["list", "services", "--all-namespaces"], ["watch", "services", "--all-namespaces"],
    ["create", "events", "-n", "default"], ["patch", "events", "-n", "default"],
    ["create", "leases.coordination.k8s.io", "-n", "kube-node-lease"], ["patch", "leases.coordination.k8s.io", "-n", "kube-node-lease"],
    ["watch", "devices.devices.kubeedge.io", "--all-namespaces"], ["watch", "devicemodels.devices.kubeedge.io", "--all-namespaces"],
    ["patch", "devices.devices.kubeedge.io", "-n", "default"],
    ["get", "configmaps/kubeedge-ts-revoked-nodes", "-n", CLOUD_NS], ["update", "configmaps/kubeedge-ts-revoked-nodes", "-n", CLOUD_NS],
    ["watch", "configmaps", "-n", CLOUD_NS],
    // join tokens in its own namespace
    ["create", "secrets", "-n", CLOUD_NS], ["get", "secrets", "-n", CLOUD_NS], ["delete", "secrets", "-n", CLOUD_NS], ["list", "secrets", "-n", CLOUD_NS],
  ];
  const answers = await Promise.all(allowed.map(can));
  allowed.forEach((args, i) => assert.is(answers[i], "yes", `cloudcore should be allowed: ${args.join(" ")}`));
});

test("the cloudcore ServiceAccount may not do more", async () => {
  if (!rc) return;
  const denied = [
    ["delete", "nodes"], ["create", "pods", "-n", "default"], ["update", "pods", "-n", "default"],
    ["create", "secrets", "-n", "default"], ["delete", "secrets", "-n", "default"], ["update", "secrets", "-n", CLOUD_NS], ["patch", "secrets", "-n", CLOUD_NS],
    ["patch", "configmaps", "-n", "default"], ["delete", "devices.devices.kubeedge.io", "-n", "default"],
    ["create", "devicemodels.devices.kubeedge.io", "-n", "default"], ["patch", "leases.coordination.k8s.io", "-n", "default"],
    ["create", "services", "-n", "default"], ["patch", "services", "-n", "default"], ["create", "clusterrolebindings"], ["get", "deployments", "-n", "default"],
    ["delete", "events", "-n", "default"],
    ["create", "configmaps", "-n", CLOUD_NS], ["update", "configmaps/cloudcore", "-n", CLOUD_NS], ["get", "configmaps/cloudcore", "-n", CLOUD_NS],
    ["delete", "configmaps/kubeedge-ts-revoked-nodes", "-n", CLOUD_NS], ["patch", "configmaps/kubeedge-ts-revoked-nodes", "-n", CLOUD_NS],
  ];
  const answers = await Promise.all(denied.map(can));
  denied.forEach((args, i) => assert.is(answers[i], "no", `cloudcore should not be allowed: ${args.join(" ")}`));
});

test.run();
