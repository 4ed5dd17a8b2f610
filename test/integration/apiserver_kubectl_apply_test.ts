import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as yaml from "js-yaml";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.ts";

let t: TestApiServer;
let n = 0;
/** Writes a manifest file and returns its path. */
const manifest = (doc: object | object[]) => {
  const path = join(t.dir, `m${++n}.yaml`);
  writeFileSync(path, (Array.isArray(doc) ? doc : [doc]).map((d) => yaml.dump(d)).join("---\n"));
  return path;
};
const getJson = async (args: string[]) => {
  const r = await t.kubectl(["get", ...args, "-o", "json"]);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
};

const deployment = (replicas: number, containers: object[]) => ({
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" },
  spec: { replicas, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers } } },
});

test.before(async () => {
  t = await startTestApiServer();
});
test.after(async () => {
  await t.close();
});

test("kubectl apply -f creates, configures with a strategic merge patch, then reports unchanged", async () => {
  const v1 = manifest(deployment(2, [{ name: "nginx", image: "nginx:1.25", env: [{ name: "A", value: "1" }, { name: "B", value: "2" }] }]));
  const created = await t.kubectl(["apply", "-f", v1]);
  assert.is(created.stdout, "deployment.apps/web created\n", created.stderr);
  const v2 = manifest(deployment(3, [{ name: "nginx", image: "nginx:1.26", env: [{ name: "B", value: "3" }] }, { name: "sidecar", image: "busybox" }]));
  const configured = await t.kubectl(["apply", "-f", v2]);
  assert.is(configured.stdout, "deployment.apps/web configured\n", configured.stderr);
  const d = await getJson(["deploy", "web"]);
  assert.is(d.spec.replicas, 3);
  assert.equal(d.spec.template.spec.containers.map((c: any) => [c.name, c.image]), [["nginx", "nginx:1.26"], ["sidecar", "busybox"]]);
  assert.equal(d.spec.template.spec.containers[0].env, [{ name: "B", value: "3" }]);
  assert.is(d.spec.template.spec.containers[0].imagePullPolicy, "IfNotPresent");
  assert.is(d.metadata.generation, 2);
  const unchanged = await t.kubectl(["apply", "-f", v2]);
  assert.is(unchanged.stdout, "deployment.apps/web unchanged\n");
  assert.is((await getJson(["deploy", "web"])).metadata.resourceVersion, d.metadata.resourceVersion);
});

test("kubectl apply -f folds a secret's stringData into base64 data", async () => {
  const r = await t.kubectl(["apply", "-f", manifest({ apiVersion: "v1", kind: "Secret", metadata: { name: "creds" }, stringData: { user: "admin" } })]);
  assert.is(r.stdout, "secret/creds created\n", r.stderr);
  const s = await getJson(["secret", "creds"]);
  assert.equal(s.data, { user: Buffer.from("admin").toString("base64") });
  assert.is(s.type, "Opaque");
});

test("kubectl apply --server-side creates, drops fields the manager no longer applies, and keeps others'", async () => {
  const first = await t.kubectl(["apply", "--server-side", "-f", manifest({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ssa" }, data: { a: "1", b: "2" } })]);
  assert.is(first.stdout, "configmap/ssa serverside-applied\n", first.stderr);
  const other = await t.kubectl(["apply", "--server-side", "--field-manager=other", "-f", manifest({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ssa" }, data: { c: "3" } })]);
  assert.is(other.code, 0, other.stderr);
  const second = await t.kubectl(["apply", "--server-side", "-f", manifest({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ssa" }, data: { a: "10" } })]);
  assert.is(second.stdout, "configmap/ssa serverside-applied\n", second.stderr);
  assert.equal((await getJson(["cm", "ssa"])).data, { a: "10", c: "3" });
  const managers = (await t.kubectl(["get", "cm", "ssa", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}"])).stdout;
  assert.equal(managers.split(" ").sort(), ["kubectl", "other"]);
});

test("kubectl create -f creates and reports AlreadyExists the second time", async () => {
  const pod = manifest({ apiVersion: "v1", kind: "Pod", metadata: { name: "nginx" }, spec: { containers: [{ name: "nginx", image: "nginx:1.25", ports: [{ containerPort: 80 }] }] } });
  const r = await t.kubectl(["create", "-f", pod]);
  assert.is(r.stdout, "pod/nginx created\n", r.stderr);
  const again = await t.kubectl(["create", "-f", pod]);
  assert.is(again.code, 1);
  assert.is(again.stderr, `Error from server (AlreadyExists): error when creating "${pod}": pods "nginx" already exists\n`);
  const p = await getJson(["pod", "nginx"]);
  assert.equal(p.spec.containers[0].ports, [{ containerPort: 80, protocol: "TCP" }]);
  assert.is(p.spec.dnsPolicy, "ClusterFirst");
  assert.is(p.spec.terminationGracePeriodSeconds, 30);
  assert.is(p.spec.containers[0].terminationMessagePath, "/dev/termination-log");
});

test("kubectl replace -f replaces, and a stale resourceVersion gets the Conflict message", async () => {
  const cfg = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { a: "1" } };
  assert.is((await t.kubectl(["create", "-f", manifest(cfg)])).code, 0);
  const replaced = await t.kubectl(["replace", "-f", manifest({ ...cfg, data: { a: "2" } })]);
  assert.is(replaced.stdout, "configmap/cfg replaced\n", replaced.stderr);
  // a pod is replaced from its stored form: a bare manifest lacks the admitted service-account volume, and a real
  // apiserver refuses that change too
  const current = await getJson(["pod", "nginx"]);
  current.spec.containers[0].image = "nginx:1.26";
  const pod = await t.kubectl(["replace", "-f", manifest(current)]);
  assert.is(pod.stdout, "pod/nginx replaced\n", pod.stderr);
  const stale = await t.kubectl(["replace", "-f", manifest({ ...cfg, metadata: { name: "cfg", resourceVersion: "1" }, data: { a: "3" } })]);
  assert.is(stale.code, 1);
  assert.match(stale.stderr, /Error from server \(Conflict\): error when replacing ".*": Operation cannot be fulfilled on configmaps "cfg": the object has been modified; please apply your changes to the latest version and try again/);
  const invalid = await t.kubectl(["replace", "-f", manifest({ apiVersion: "v1", kind: "Pod", metadata: { name: "nginx" }, spec: { containers: [{ name: "nginx", image: "nginx:1.26", ports: [{ containerPort: 81 }] }] } })]);
  assert.is(invalid.code, 1);
  assert.match(invalid.stderr, /The Pod "nginx" is invalid: spec: Forbidden: pod updates may not change fields other than/);
});

test("kubectl delete removes objects by name, by file and by label", async () => {
  for (const name of ["a", "b", "c"]) {
    const r = await t.kubectl(["create", "-f", manifest({ apiVersion: "v1", kind: "Pod", metadata: { name, labels: { run: name === "c" ? "keep" : "w9" } }, spec: { containers: [{ name: "m", image: "x" }] } })]);
    assert.is(r.code, 0, r.stderr);
  }
  const byLabel = await t.kubectl(["delete", "pods", "-l", "run=w9"]);
  assert.is(byLabel.stdout, 'pod "a" deleted\npod "b" deleted\n', byLabel.stderr);
  const byName = await t.kubectl(["delete", "pod", "c"]);
  assert.is(byName.stdout, 'pod "c" deleted\n');
  const missing = await t.kubectl(["delete", "pod", "c"]);
  assert.is(missing.code, 1);
  assert.is(missing.stderr, 'Error from server (NotFound): pods "c" not found\n');
  assert.is((await t.kubectl(["delete", "pod", "c", "--ignore-not-found"])).code, 0);
  const web = await t.kubectl(["delete", "deploy", "web"]);
  assert.is(web.stdout, 'deployment.apps "web" deleted\n');
});

test("kubectl apply --dry-run=server changes nothing", async () => {
  const r = await t.kubectl(["apply", "--dry-run=server", "-f", manifest({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "dry" }, data: { a: "1" } })]);
  assert.is(r.stdout, "configmap/dry created (server dry run)\n", r.stderr);
  assert.is((await t.kubectl(["get", "cm", "dry"])).code, 1);
});

test.run();
