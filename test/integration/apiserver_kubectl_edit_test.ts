import { test } from "uvu";
import * as assert from "uvu/assert";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.ts";
import { readyNode, simplePod } from "../support/objects.ts";

let t: TestApiServer;
const post = async (path: string, body: object) => {
  const r = await t.request("POST", path, { headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  assert.is(r.status, 201, r.text);
  return r.json();
};
const get = async (path: string) => (await t.request("GET", path)).json();
const ok = async (args: string[], expected: string) => {
  const r = await t.kubectl(args);
  assert.is(r.stdout, expected, r.stderr);
  assert.is(r.code, 0);
};

test.before(async () => {
  t = await startTestApiServer();
  await post("/api/v1/nodes", readyNode("edge-node-1"));
  await post("/api/v1/namespaces/default/pods", simplePod("nginx", { labels: { app: "web" } }));
  await post("/apis/apps/v1/namespaces/default/deployments", {
    metadata: { name: "web" },
    spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.25" }] } } },
  });
});
test.after(async () => {
  await t.close();
});

test("kubectl label and annotate change metadata with merge patches", async () => {
  await ok(["label", "pod", "nginx", "tier=front"], "pod/nginx labeled\n");
  await ok(["annotate", "pod", "nginx", "owner=team-a"], "pod/nginx annotated\n");
  const pod = await get("/api/v1/namespaces/default/pods/nginx");
  assert.equal(pod.metadata.labels, { app: "web", tier: "front" });
  assert.equal(pod.metadata.annotations, { owner: "team-a" });
  await ok(["label", "pod", "nginx", "tier-"], "pod/nginx unlabeled\n");
  const exists = await t.kubectl(["label", "pod", "nginx", "app=other"]);
  assert.is(exists.code, 1);
  assert.match(exists.stderr, /'app' already has a value \(web\), and --overwrite is false/);
});

test("kubectl scale goes through the Scale subresource", async () => {
  await ok(["scale", "deploy", "web", "--replicas=4"], "deployment.apps/web scaled\n");
  assert.is((await get("/apis/apps/v1/namespaces/default/deployments/web")).spec.replicas, 4);
  const scale = await get("/apis/apps/v1/namespaces/default/deployments/web/scale");
  assert.equal({ kind: scale.kind, apiVersion: scale.apiVersion, spec: scale.spec, selector: scale.status.selector }, {
    kind: "Scale", apiVersion: "autoscaling/v1", spec: { replicas: 4 }, selector: "app=web",
  });
  const cond = await t.kubectl(["scale", "deploy", "web", "--replicas=2", "--current-replicas=3"]);
  assert.is(cond.code, 1);
});

test("kubectl patch applies strategic, merge and JSON patches", async () => {
  await ok(["patch", "pod", "nginx", "-p", '{"spec":{"containers":[{"name":"main","image":"busybox:1.37"}]}}'], "pod/nginx patched\n");
  await ok(["patch", "deploy", "web", "--type=merge", "-p", '{"metadata":{"labels":{"m":"1"}}}'], "deployment.apps/web patched\n");
  await ok(["patch", "deploy", "web", "--type=json", "-p", '[{"op":"replace","path":"/spec/revisionHistoryLimit","value":3}]'], "deployment.apps/web patched\n");
  const pod = await get("/api/v1/namespaces/default/pods/nginx");
  assert.is(pod.spec.containers[0].image, "busybox:1.37");
  const d = await get("/apis/apps/v1/namespaces/default/deployments/web");
  assert.is(d.metadata.labels.m, "1");
  assert.is(d.spec.revisionHistoryLimit, 3);
  const bad = await t.kubectl(["patch", "deploy", "web", "--type=json", "-p", '[{"op":"remove","path":"/spec/nothing"}]']);
  assert.is(bad.code, 1);
  // A real apiserver gives no detail for a failed JSON patch; neither do we.
  assert.match(bad.stderr, /the server rejected our request due to an error in our request/);
});

test("kubectl set image, cordon and taint patch the objects", async () => {
  await ok(["set", "image", "deploy/web", "nginx=nginx:1.27"], "deployment.apps/web image updated\n");
  assert.is((await get("/apis/apps/v1/namespaces/default/deployments/web")).spec.template.spec.containers[0].image, "nginx:1.27");
  await ok(["cordon", "edge-node-1"], "node/edge-node-1 cordoned\n");
  await ok(["taint", "node", "edge-node-1", "dedicated=edge:NoSchedule"], "node/edge-node-1 tainted\n");
  const node = await get("/api/v1/nodes/edge-node-1");
  assert.is(node.spec.unschedulable, true);
  assert.equal(node.spec.taints.map((x: any) => [x.key, x.value, x.effect]), [["dedicated", "edge", "NoSchedule"]]);
  assert.is(node.status.conditions[0].type, "Ready");
  const table = await t.kubectl(["get", "nodes"]);
  assert.match(table.stdout, /edge-node-1\s+Ready,SchedulingDisabled/);
  await ok(["uncordon", "edge-node-1"], "node/edge-node-1 uncordoned\n");
});

test("kubectl create configmap, secret, namespace, deployment and service send protobuf and work", async () => {
  await ok(["create", "configmap", "c2", "--from-literal=x=y"], "configmap/c2 created\n");
  await ok(["create", "secret", "generic", "s2", "--from-literal=p=q"], "secret/s2 created\n");
  await ok(["create", "namespace", "demo"], "namespace/demo created\n");
  await ok(["create", "deployment", "api", "--image=api:1", "--replicas=2"], "deployment.apps/api created\n");
  await ok(["create", "service", "clusterip", "api", "--tcp=80:8080"], "service/api created\n");
  assert.equal((await get("/api/v1/namespaces/default/configmaps/c2")).data, { x: "y" });
  assert.equal((await get("/api/v1/namespaces/default/secrets/s2")).data, { p: Buffer.from("q").toString("base64") });
  const d = await get("/apis/apps/v1/namespaces/default/deployments/api");
  assert.is(d.spec.replicas, 2);
  assert.is(d.spec.template.spec.containers[0].image, "api:1");
  const svc = await get("/api/v1/namespaces/default/services/api");
  assert.match(svc.spec.clusterIP, /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
  assert.equal(svc.spec.ports[0].protocol, "TCP");
  const dup = await t.kubectl(["create", "configmap", "c2", "--from-literal=x=y"]);
  assert.is(dup.code, 1);
  assert.is(dup.stderr, 'error: failed to create configmap: configmaps "c2" already exists\n');
});

test("a protobuf body of a kind the server cannot decode gets 415 with a workaround", async () => {
  const typeMeta = Buffer.from([0x0a, 0x02, 0x76, 0x31, 0x12, 0x03, 0x50, 0x6f, 0x64]);
  const body = Buffer.concat([Buffer.from("k8s\0", "binary"), Buffer.from([0x0a, typeMeta.length]), typeMeta, Buffer.from([0x12, 0x00])]);
  const r = await t.request("POST", "/api/v1/namespaces/default/pods", { headers: { "content-type": "application/vnd.kubernetes.protobuf" }, body });
  assert.is(r.status, 415);
  assert.match(r.json().message, /--dry-run=client -o yaml \| kubectl apply -f -/);
});

test("an unknown patch type gets 415 and a missing object 404", async () => {
  const r = await t.request("PATCH", "/api/v1/namespaces/default/pods/nginx", { headers: { "content-type": "application/xml" }, body: "<x/>" });
  assert.is(r.status, 415);
  assert.match(r.json().message, /^the body of the request was in an unknown format - accepted media types include: application\/json-patch\+json/);
  const missing = await t.kubectl(["label", "pod", "ghost", "a=b"]);
  assert.is(missing.stderr, 'Error from server (NotFound): pods "ghost" not found\n');
});

test.run();
