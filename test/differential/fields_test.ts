import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startDifferential, type Differential, type Known } from "./_harness.ts";

let d: Differential | undefined;
const node = `diff-fields-${Math.random().toString(16).slice(2, 8)}`;
test.before(async () => {
  d = await startDifferential("fields");
});
test.after(async () => {
  if (d) for (const side of [d.embedded, d.real]) await side.request("DELETE", `/api/v1/nodes/${node}`);
  await d?.close();
});

const CMS = "/api/v1/namespaces/{ns}/configmaps";
const cm = (name: string, extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) =>
  ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, ...meta }, ...extra });

test("unknown fields: Strict refuses naming each, Warn warns and drops, Ignore drops", async () => {
  if (!d) return;
  const strict = await d.request("strict: unknown fields in document order", "POST", `${CMS}?fieldValidation=Strict`, cm("s1", { data: { a: "1" }, foo: 1 }, { bar: 2 }));
  assert.is(strict.embedded.status, 400);
  await d.request("strict: unknown nested pod fields", "POST", "/api/v1/namespaces/{ns}/pods?fieldValidation=Strict",
    { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "i", imagex: 1 }], foo: 2 } });
  const warn = await d.request("warn: created with a warning per field", "POST", `${CMS}?fieldValidation=Warn`, cm("w1", { data: { a: "1" }, foo: 1 }));
  assert.equal(warn.embedded.warnings, ['299 - "unknown field \\"foo\\""']);
  await d.request("default is warn", "POST", CMS, cm("w2", { foo: 1 }));
  await d.request("ignore: no warning, field dropped", "POST", `${CMS}?fieldValidation=Ignore`, cm("w3", { foo: 1 }));
  await d.request("bad fieldValidation value", "POST", `${CMS}?fieldValidation=Loud`, cm("w4"));
});

test("values of the wrong type are refused with Go's decoding message", async () => {
  if (!d) return;
  await d.request("configmap data value a number", "POST", CMS, cm("t1", { data: { a: 1 } }));
  await d.request("object-valued label", "POST", CMS, cm("t2", {}, { labels: { a: { b: 1 } } }));
  await d.request("replicas a string", "POST", "/apis/apps/v1/namespaces/{ns}/deployments", {
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" },
    spec: { replicas: "3", selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "i" }] } } },
  });
  await d.request("container port a fraction", "POST", "/api/v1/namespaces/{ns}/pods",
    { apiVersion: "v1", kind: "Pod", metadata: { name: "p2" }, spec: { containers: [{ name: "c", image: "i", ports: [{ containerPort: 80.5 }] }] } });
});

test("a node status patch with a wrong shape is refused, a right one stored", async () => {
  if (!d) return;
  await d.request("create node", "POST", "/api/v1/nodes", { apiVersion: "v1", kind: "Node", metadata: { name: node } }, {
    known: [
      { path: "body.spec", why: "the real node lifecycle controller taints a new node not-ready at once; ours does when it sees the node" },
      { path: "body.status", why: "the real apiserver decodes into Go structs, filling daemonEndpoints and nodeInfo with zero values" }],
  });
  const merge = { contentType: "application/merge-patch+json" };
  // The real message quotes the whole patched object in Go's field order and with its zero values.
  const quoted: Known[] = [{ path: /^body\.(message|details\.causes\[0\]\.message)$/, why: "the patched object quoted in the message is serialised in our field order" }];
  const bad = await d.request("conditions a string", "PATCH", `/api/v1/nodes/${node}/status`, { status: { conditions: "x" } }, { ...merge, known: quoted });
  assert.is(bad.embedded.status, 422);
  assert.match(String((bad.embedded.body as any).message), /json: cannot unmarshal string into Go struct field NodeStatus.status.conditions of type \[\]v1.NodeCondition$/);
  await d.request("condition type a number", "PATCH", `/api/v1/nodes/${node}/status`, { status: { conditions: [{ type: 1 }] } }, { ...merge, known: quoted });
  await d.request("capacity not a quantity", "PATCH", `/api/v1/nodes/${node}/status`, { status: { capacity: { cpu: "abc" } } }, { ...merge, known: quoted });
  await d.request("addresses not a list", "PATCH", `/api/v1/nodes/${node}/status`, { status: { addresses: { a: 1 } } }, { ...merge, known: quoted });
  const stored = await d.embedded.request("GET", `/api/v1/nodes/${node}`);
  assert.is((stored.body as any).status?.conditions, undefined, "nothing of the refused patches is stored");
});

test("kubectl apply of an object with an unknown field is a BadRequest naming it", async () => {
  if (!d) return;
  const file = join(d.test.dir, "unknown.yaml");
  writeFileSync(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ku\ndata:\n  a: b\ndatta:\n  c: d\n");
  const r = await d.kubectl("kubectl apply with a typo", ["apply", "-n", "{ns}", "-f", file]);
  assert.is(r.embedded.code, 1);
  assert.match(r.embedded.stderr, /strict decoding error: unknown field "datta"/);
});

test.run();
