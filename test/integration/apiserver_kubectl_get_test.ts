import { test } from "uvu";
import * as assert from "uvu/assert";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.ts";
import { readyNode, runningStatus, simplePod } from "../support/objects.ts";

let t: TestApiServer;
const post = async (path: string, body: object) => {
  const r = await t.request("POST", path, { headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  assert.is(r.status, 201, r.text);
  return r.json();
};
const mergeStatus = async (path: string, body: object) => {
  const r = await t.request("PATCH", path, { headers: { "content-type": "application/merge-patch+json" }, body: JSON.stringify(body) });
  assert.is(r.status, 200, r.text);
};
/** Rows split on runs of spaces, header included, ages replaced by "AGE". */
const rows = (text: string) => text.trim().split("\n").map((l) => l.trim().split(/\s{2,}/).map((c) => (/^\d+s$/.test(c) ? "AGE" : c)));

test.before(async () => {
  t = await startTestApiServer();
  await post("/api/v1/nodes", readyNode("edge-node-1", "10.0.0.5"));
  await post("/api/v1/nodes", readyNode("edge-node-2", "10.0.0.6"));
  await post("/api/v1/namespaces", { metadata: { name: "shop" } });
  const web1 = await post("/api/v1/namespaces/default/pods", simplePod("web-1", { labels: { app: "web", tier: "front" }, nodeName: "edge-node-1" }));
  await post("/api/v1/namespaces/default/pods", simplePod("web-2", { labels: { app: "web", tier: "x" }, nodeName: "edge-node-2" }));
  await post("/api/v1/namespaces/shop/pods", simplePod("cart", { labels: { app: "cart" } }));
  await mergeStatus("/api/v1/namespaces/default/pods/web-1/status", runningStatus("172.17.0.2", "10.0.0.5"));
  await post("/api/v1/namespaces/default/events", {
    metadata: { name: "web-1.1" }, involvedObject: { kind: "Pod", namespace: "default", name: "web-1", uid: web1.metadata.uid }, reason: "Started",
    message: "Started container main", type: "Normal", source: { component: "edged" }, lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"), count: 1,
  });
});
test.after(async () => {
  await t.close();
});

test("kubectl get nodes prints status, roles and version from the server's Table", async () => {
  const r = await t.kubectl(["get", "nodes"]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(rows(r.stdout), [
    ["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
    ["edge-node-1", "Ready", "edge", "AGE", "v1.32.4-kubeedge-ts"],
    ["edge-node-2", "Ready", "edge", "AGE", "v1.32.4-kubeedge-ts"],
  ]);
  const wide = await t.kubectl(["get", "nodes", "-o", "wide"]);
  assert.equal(rows(wide.stdout)[1], ["edge-node-1", "Ready", "edge", "AGE", "v1.32.4-kubeedge-ts", "10.0.0.5", "<none>", "Debian GNU/Linux 12", "6.1.0", "docker://24.0.0"]);
});

test("kubectl get pods -o wide -A shows every namespace with IP and node", async () => {
  const r = await t.kubectl(["get", "pods", "-o", "wide", "-A"]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(rows(r.stdout), [
    ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
    ["default", "web-1", "1/1", "Running", "0", "AGE", "172.17.0.2", "edge-node-1", "<none>", "<none>"],
    ["default", "web-2", "0/1", "Pending", "0", "AGE", "<none>", "edge-node-2", "<none>", "<none>"],
    ["shop", "cart", "0/1", "Pending", "0", "AGE", "<none>", "<none>", "<none>", "<none>"],
  ]);
});

test("kubectl get pods filters by label and field selectors on the server", async () => {
  const r = await t.kubectl(["get", "pods", "-l", "app=web,tier notin (x)", "--field-selector", "spec.nodeName=edge-node-1,status.phase=Running", "-o", "name"]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, "pod/web-1\n");
  const none = await t.kubectl(["get", "pods", "-l", "app=nothing"]);
  assert.is(none.stderr, "No resources found in default namespace.\n");
  const bad = await t.kubectl(["get", "pods", "--field-selector", "spec.bogus=1"]);
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /field label not supported: spec.bogus/);
  const labels = await t.kubectl(["get", "pods", "--show-labels", "-L", "tier"]);
  assert.match(labels.stdout, /web-1 .* front .* app=web,tier=front/);
});

test("kubectl get pod X answers one row, and NotFound for a missing pod", async () => {
  const one = await t.kubectl(["get", "pod", "web-1"]);
  assert.equal(rows(one.stdout), [["NAME", "READY", "STATUS", "RESTARTS", "AGE"], ["web-1", "1/1", "Running", "0", "AGE"]]);
  const missing = await t.kubectl(["get", "pod", "nope"]);
  assert.is(missing.code, 1);
  assert.is(missing.stderr, 'Error from server (NotFound): pods "nope" not found\n');
  const sorted = await t.kubectl(["get", "pods", "-A", "--sort-by=.metadata.name", "-o", "custom-columns=NAME:.metadata.name"]);
  assert.equal(sorted.stdout.trim().split("\n"), ["NAME", "cart", "web-1", "web-2"]);
});

test("kubectl describe pod shows defaults, IPs and the pod's events", async () => {
  const r = await t.kubectl(["describe", "pod", "web-1"]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /Node:\s+edge-node-1\/10\.0\.0\.5/);
  assert.match(r.stdout, /Status:\s+Running/);
  assert.match(r.stdout, /IPs:\n\s+IP:\s+172\.17\.0\.2/);
  assert.match(r.stdout, /Service Account:\s+default/);
  assert.match(r.stdout, /Normal\s+Started\s+\S+\s+edged\s+Started container main/);
});

test("kubectl describe node lists the node's pods and conditions", async () => {
  const r = await t.kubectl(["describe", "node", "edge-node-1"]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /Ready\s+True\s+.*EdgeReady\s+edge is posting ready status/);
  assert.match(r.stdout, /Non-terminated Pods:\s+\(1 in total\)/);
  assert.match(r.stdout, /default\s+web-1/);
  assert.match(r.stdout, /InternalIP:\s+10\.0\.0\.5/);
});

test("kubectl get deploy,rs,po prints one table per kind for objects created through the API", async () => {
  const selector = { matchLabels: { app: "api" } };
  const template = { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "api", image: "api:1" }] } };
  const deploy = await post("/apis/apps/v1/namespaces/shop/deployments", { metadata: { name: "api" }, spec: { replicas: 2, selector, template } });
  const owner = [{ apiVersion: "apps/v1", kind: "Deployment", name: "api", uid: deploy.metadata.uid, controller: true }];
  await post("/apis/apps/v1/namespaces/shop/replicasets", { metadata: { name: "api-7d9f", ownerReferences: owner }, spec: { replicas: 2, selector, template } });
  const r = await t.kubectl(["get", "deploy,rs,po", "-n", "shop"]);
  assert.is(r.code, 0, r.stderr);
  const blocks = r.stdout.trim().split("\n\n").map(rows);
  assert.equal(blocks[0], [["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], ["deployment.apps/api", "0/2", "0", "0", "AGE"]]);
  assert.equal(blocks[1], [["NAME", "DESIRED", "CURRENT", "READY", "AGE"], ["replicaset.apps/api-7d9f", "2", "0", "0", "AGE"]]);
  assert.equal(blocks[2], [["NAME", "READY", "STATUS", "RESTARTS", "AGE"], ["pod/cart", "0/1", "Pending", "0", "AGE"]]);
});

test.run();
