import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as yaml from "js-yaml";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.ts";

let t: TestApiServer;
test.before(async () => {
  t = await startTestApiServer();
});
test.after(async () => {
  await t.close();
});

const DISCOVERY_ACCEPT =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

test("startApiServer() answers 401 without the token and serves /version, /healthz, /readyz to anyone", async () => {
  const denied = await t.request("GET", "/api/v1/pods", { token: null });
  assert.is(denied.status, 401);
  assert.is(denied.json().reason, "Unauthorized");
  assert.is((await t.request("GET", "/api/v1/pods", { token: "wrong" })).status, 401);
  const version = await t.request("GET", "/version?timeout=5s", { token: null });
  assert.is(version.json().minor, "32");
  assert.is(version.json().major, "1");
  assert.is((await t.request("GET", "/healthz", { token: null })).text, "ok");
  assert.is((await t.request("GET", "/readyz", { token: null })).status, 200);
});

test("startApiServer() writes a kubeconfig with the CA and a persisted token", async () => {
  const dataDir = join(t.dir, "data");
  const config = yaml.load(readFileSync(t.api.kubeconfigPath!, "utf8")) as any;
  assert.is(config.clusters[0].cluster.server, t.api.url);
  assert.is(Buffer.from(config.clusters[0].cluster["certificate-authority-data"], "base64").toString(), t.tls.ca);
  assert.is(config.users[0].user.token, t.api.token);
  assert.is(statSync(t.api.kubeconfigPath!).mode & 0o777, 0o600);
  assert.is(readFileSync(join(dataDir, "apiserver.token"), "utf8").trim(), t.api.token);
  const token = t.api.token;
  await t.restart();
  assert.is(t.api.token, token);
});

test("aggregated discovery carries its exact Content-Type; plain JSON clients get the legacy documents", async () => {
  const core = await t.request("GET", "/api", { headers: { accept: DISCOVERY_ACCEPT } });
  assert.is(core.headers["content-type"], "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
  const pods = core.json().items[0].versions[0].resources.find((r: any) => r.resource === "pods");
  assert.equal(pods.shortNames, ["po"]);
  assert.equal(pods.subresources.map((s: any) => s.subresource).sort(), ["binding", "exec", "log", "status"]);
  const groups = (await t.request("GET", "/apis", { headers: { accept: DISCOVERY_ACCEPT } })).json();
  const names = groups.items.map((g: any) => g.metadata.name);
  for (const g of ["apps", "coordination.k8s.io", "apiextensions.k8s.io", "devices.kubeedge.io"]) assert.ok(names.includes(g), g);
  const scale = groups.items.find((g: any) => g.metadata.name === "apps").versions[0].resources
    .find((r: any) => r.resource === "deployments").subresources.find((s: any) => s.subresource === "scale");
  assert.equal(scale.responseKind, { group: "autoscaling", version: "v1", kind: "Scale" });

  const legacy = await t.request("GET", "/api", { headers: { accept: "application/json" } });
  assert.is(legacy.headers["content-type"], "application/json");
  assert.equal(legacy.json().versions, ["v1"]);
  assert.ok((await t.request("GET", "/apis")).json().groups.some((g: any) => g.name === "apps"));
  const resources = (await t.request("GET", "/apis/apps/v1")).json().resources.map((r: any) => r.name);
  assert.ok(resources.includes("deployments/scale"));
  assert.is((await t.request("GET", "/apis/nope.example.com/v1")).status, 404);
});

test("the OpenAPI v3 index lists every group version and each kind's PATCH takes fieldValidation; v2 defines each kind", async () => {
  const index = (await t.request("GET", "/openapi/v3")).json();
  assert.ok(index.paths["api/v1"].serverRelativeURL.startsWith("/openapi/v3/api/v1?hash="));
  const doc = (await t.request("GET", index.paths["api/v1"].serverRelativeURL)).json();
  const kinds = Object.values(doc.paths).map((p: any) => p.patch["x-kubernetes-group-version-kind"].kind).sort();
  assert.equal(kinds, ["ConfigMap", "Endpoints", "Event", "Namespace", "Node", "Pod", "Secret", "Service", "ServiceAccount"]);
  for (const p of Object.values(doc.paths) as any[]) assert.ok(p.patch.parameters.some((x: any) => x.name === "fieldValidation"));
  const devices = (await t.request("GET", index.paths["apis/devices.kubeedge.io/v1alpha1"].serverRelativeURL)).json();
  assert.equal(Object.values(devices.paths).map((p: any) => p.patch["x-kubernetes-group-version-kind"].kind).sort(), ["Device", "DeviceModel"]);
  // v2, for kubectl's client-side check of List items: each built-in kind's definition carries its group/version/kind
  const v2 = (await t.request("GET", "/openapi/v2", { headers: { accept: "application/json" } })).json();
  assert.equal(v2.definitions["io.k8s.api.core.v1.ConfigMap"]["x-kubernetes-group-version-kind"], [{ group: "", version: "v1", kind: "ConfigMap" }]);
  assert.is(v2.definitions["io.k8s.api.apps.v1.Deployment"].properties.spec.$ref, "#/definitions/io.k8s.api.apps.v1.DeploymentSpec");
  const proto = await t.request("GET", "/openapi/v2", { headers: { accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" } });
  assert.is(proto.headers["content-type"], "application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
});

test("the four system namespaces exist, and Status errors carry reason, code and details", async () => {
  const ns = (await t.kubectl(["get", "namespaces", "-o", "name"])).stdout.split("\n").filter(Boolean);
  assert.equal(ns, ["namespace/default", "namespace/kube-node-lease", "namespace/kube-public", "namespace/kube-system"]);
  const missing = await t.request("GET", "/api/v1/namespaces/default/pods/nope");
  assert.is(missing.status, 404);
  assert.equal(missing.json(), {
    kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: 'pods "nope" not found', reason: "NotFound",
    details: { name: "nope", kind: "pods" }, code: 404,
  });
  const badSelector = await t.request("GET", "/api/v1/pods?fieldSelector=spec.foo%3Dbar");
  assert.is(badSelector.status, 400);
  assert.is(badSelector.json().message, "field label not supported: spec.foo");
  const badPatch = await t.request("PATCH", "/api/v1/namespaces/default/configmaps/x", { headers: { "content-type": "text/plain" }, body: "{}" });
  assert.is(badPatch.status, 415);
});

test("kubectl get reads every served kind with the warm discovery cache", async () => {
  const r = await t.kubectl(["get", "nodes"]);
  assert.is(r.code, 0);
  assert.is(r.stderr, "No resources found\n");
  const kinds = await t.kubectl(["get", "pods,deploy,rs,cm,secrets,svc,ep,ev,sa,leases,crd,devices,devicemodels", "-A", "-o", "name"]);
  assert.is(kinds.code, 0, kinds.stderr);
  assert.ok(kinds.stdout.includes("customresourcedefinition.apiextensions.k8s.io/devices.devices.kubeedge.io"));
  const unknown = await t.kubectl(["get", "foos"]);
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, /the server doesn't have a resource type "foos"/);
});

test.run();
