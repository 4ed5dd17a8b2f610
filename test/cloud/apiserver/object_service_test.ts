import { test } from "uvu";
import * as assert from "uvu/assert";
import type { JsonObject } from "../../../lib/kube/index.ts";
import { fixture } from "./_fixture.ts";

const pod = (name: string, extra: JsonObject = {}) => ({
  apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { containers: [{ name: "c", image: "nginx:1.25", ports: [{ containerPort: 80 }] }] }, ...extra,
});

async function failure(p: Promise<unknown>): Promise<{ code: number; reason: string; message: string; details?: { causes?: { field?: string }[] } }> {
  try {
    await p;
  } catch (err) {
    return err as never;
  }
  throw new Error("expected a failure");
}

test("ObjectService.create() sets identity, defaults and status, and refuses duplicates", async () => {
  const f = await fixture();
  const pods = f.info("", "pods");
  const stored = await f.service.create(pods, "default", pod("web"));
  const o = stored.object as JsonObject & { metadata: JsonObject; spec: { containers: JsonObject[] } & JsonObject; status: JsonObject };
  assert.match(String(o.metadata.uid), /^[0-9a-f-]{36}$/);
  assert.match(String(o.metadata.creationTimestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.is(o.metadata.namespace, "default");
  assert.is(o.spec.restartPolicy, "Always");
  assert.is(o.spec.terminationGracePeriodSeconds, 30);
  assert.is(o.spec.serviceAccountName, "default");
  assert.is(o.spec.containers[0]!.imagePullPolicy, "IfNotPresent");
  assert.equal(o.spec.containers[0]!.ports, [{ containerPort: 80, protocol: "TCP" }]);
  assert.equal(o.status, { phase: "Pending", qosClass: "BestEffort" });
  const dup = await failure(f.service.create(pods, "default", pod("web")));
  assert.is(dup.code, 409);
  assert.is(dup.message, 'pods "web" already exists');
});

test("ObjectService.create() fills generateName, folds stringData and checks the namespace", async () => {
  const f = await fixture();
  const generated = await f.service.create(f.info("", "configmaps"), "default", { metadata: { generateName: "cfg-" } });
  assert.match(String(generated.object.metadata?.name), /^cfg-[a-z0-9]{5}$/);
  const secret = await f.service.create(f.info("", "secrets"), "default", { metadata: { name: "s" }, stringData: { password: "pw" } });
  assert.equal(secret.object.data, { password: Buffer.from("pw").toString("base64") });
  assert.is(secret.object.stringData, undefined);
  assert.is(secret.object.type, "Opaque");
  const missing = await failure(f.service.create(f.info("", "configmaps"), "nope", { metadata: { name: "x" } }));
  assert.is(missing.code, 404);
  assert.is(missing.message, 'namespaces "nope" not found');
});

test("ObjectService.create() answers 422 with causes for invalid objects", async () => {
  const f = await fixture();
  const bad = await failure(f.service.create(f.info("", "pods"), "default", { metadata: { name: "Bad_Name" }, spec: { containers: [{ name: "c" }] } }));
  assert.is(bad.code, 422);
  assert.equal(bad.details?.causes?.map((c) => c.field), ["metadata.name", "spec.containers[0].image"]);
  const deploy = await failure(f.service.create(f.info("apps", "deployments"), "default", {
    metadata: { name: "d" }, spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "c" } }, spec: { containers: [{ name: "c", image: "x" }] } } },
  }));
  assert.match(deploy.message, /`selector` does not match template `labels`/);
});

test("ObjectService.update() keeps the resourceVersion of a no-op and refuses stale versions", async () => {
  const f = await fixture();
  const cms = f.info("", "configmaps");
  const first = await f.service.create(cms, "default", { metadata: { name: "c" }, data: { a: "1" } });
  const same = await f.service.update(cms, "default", "c", { metadata: { name: "c" }, data: { a: "1" } });
  assert.is(same.rv, first.rv);
  const changed = await f.service.update(cms, "default", "c", { metadata: { name: "c", resourceVersion: String(first.rv) }, data: { a: "2" } });
  assert.ok(changed.rv > first.rv);
  const stale = await failure(f.service.update(cms, "default", "c", { metadata: { name: "c", resourceVersion: String(first.rv) }, data: { a: "3" } }));
  assert.is(stale.code, 409);
  assert.is(stale.message, 'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again');
});

test("ObjectService.update() separates spec writes from status writes", async () => {
  const f = await fixture();
  const deploys = f.info("apps", "deployments");
  const body = {
    metadata: { name: "d" }, spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "x" }] } } },
  };
  const created = await f.service.create(deploys, "default", structuredClone(body));
  assert.is(created.object.metadata?.generation, 1);
  const withStatus = await f.service.update(deploys, "default", "d", { ...structuredClone(created.object), status: { replicas: 5 } }, { subresource: "status" });
  assert.equal(withStatus.object.status, { replicas: 5 });
  assert.is(withStatus.object.metadata?.generation, 1);
  const spec = structuredClone(withStatus.object);
  (spec.spec as JsonObject).replicas = 3;
  spec.status = { replicas: 0 };
  const updated = await f.service.update(deploys, "default", "d", spec);
  assert.is(updated.object.metadata?.generation, 2);
  assert.equal(updated.object.status, { replicas: 5 });
});

test("ObjectService.patch() applies strategic, merge and JSON patches and refuses unknown types", async () => {
  const f = await fixture();
  const pods = f.info("", "pods");
  await f.service.create(pods, "default", pod("p"));
  const smp = await f.service.patch(pods, "default", "p", "application/strategic-merge-patch+json", { spec: { containers: [{ name: "c", image: "nginx:1.26" }] } });
  assert.is((smp.stored.object.spec as { containers: JsonObject[] }).containers[0]!.image, "nginx:1.26");
  assert.is((smp.stored.object.spec as { containers: JsonObject[] }).containers[0]!.ports !== undefined, true);
  const merge = await f.service.patch(pods, "default", "p", "application/merge-patch+json", { metadata: { labels: { a: "1" } } });
  assert.equal(merge.stored.object.metadata?.labels, { a: "1" });
  const json = await f.service.patch(pods, "default", "p", "application/json-patch+json", [{ op: "add", path: "/metadata/labels/b", value: "2" }]);
  assert.equal(json.stored.object.metadata?.labels, { a: "1", b: "2" });
  const unknown = await failure(f.service.patch(pods, "default", "p", "application/xml", {}));
  assert.is(unknown.code, 415);
  const missing = await failure(f.service.patch(pods, "default", "nope", "application/merge-patch+json", {}));
  assert.is(missing.code, 404);
});

test("ObjectService.patch() server-side apply creates, then removes what the same manager dropped", async () => {
  const f = await fixture();
  const cms = f.info("", "configmaps");
  const apply = (data: JsonObject) =>
    f.service.patch(cms, "default", "cfg", "application/apply-patch+yaml", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data }, { fieldManager: "kubectl" });
  const created = await apply({ a: "1", b: "2" });
  assert.is(created.created, true);
  const second = await apply({ a: "1" });
  assert.is(second.created, false);
  assert.equal(second.stored.object.data, { a: "1" });
  const noManager = await failure(f.service.patch(cms, "default", "cfg", "application/apply-patch+yaml", { data: {} }));
  assert.is(noManager.code, 422);
});

test.run();
