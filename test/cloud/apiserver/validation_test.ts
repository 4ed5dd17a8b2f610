import { test } from "uvu";
import * as assert from "uvu/assert";
import { builtinResources } from "../../../lib/cloud/apiserver/builtin_resources.ts";
import { validateName, validateObject } from "../../../lib/cloud/apiserver/validation.ts";
import type { KubeObject } from "../../../lib/kube/index.ts";

const info = (resource: string) => builtinResources().find((r) => r.resource === resource)!;

test("validateName() checks subdomain names, and label names for namespaces and services", () => {
  assert.equal(validateName(info("configmaps"), "my.config-1"), []);
  assert.is(validateName(info("configmaps"), "My_Config")[0]!.field, "metadata.name");
  assert.match(validateName(info("namespaces"), "a.b")[0]!.message, /^Invalid value: "a.b": a lowercase RFC 1123 label/);
  assert.match(validateName(info("pods"), "x".repeat(254))[0]!.message, /must be no more than 253 characters/);
});

test("validateObject() requires containers with names and images, without duplicates", () => {
  const causes = validateObject(info("pods"), { metadata: { name: "p" }, spec: { containers: [{ name: "a", image: "x" }, { name: "a" }] } });
  assert.equal(causes.map((c) => `${c.field}: ${c.message}`), ['spec.containers[1].name: Duplicate value: "a"', "spec.containers[1].image: Required value"]);
  assert.equal(validateObject(info("pods"), { metadata: { name: "p" }, spec: {} }).map((c) => c.field), ["spec.containers"]);
});

test("validateObject() forbids changing a pod spec except images and a few fields", () => {
  const before = { metadata: { name: "p" }, spec: { containers: [{ name: "a", image: "x:1" }], nodeName: "n1" } };
  assert.equal(validateObject(info("pods"), { metadata: { name: "p" }, spec: { containers: [{ name: "a", image: "x:2" }], nodeName: "n1", activeDeadlineSeconds: 5 } }, before), []);
  const moved = validateObject(info("pods"), { metadata: { name: "p" }, spec: { containers: [{ name: "a", image: "x:1" }], nodeName: "n2" } }, before);
  assert.match(moved[0]!.message, /^Forbidden: pod updates may not change fields other than/);
});

test("validateObject() keeps a deployment's selector matching its template and immutable", () => {
  const d = (selector: object, labels: object) =>
    ({ metadata: { name: "d" }, spec: { selector, template: { metadata: { labels }, spec: { containers: [{ name: "c", image: "x" }] } } } }) as unknown as KubeObject;
  assert.equal(validateObject(info("deployments"), d({ matchLabels: { a: "b" } }, { a: "b", c: "d" })), []);
  assert.is(validateObject(info("deployments"), d({ matchLabels: { a: "b" } }, { a: "c" }))[0]!.field, "spec.template.metadata.labels");
  const changed = validateObject(info("deployments"), d({ matchLabels: { a: "b", c: "d" } }, { a: "b", c: "d" }), d({ matchLabels: { a: "b" } }, { a: "b" }));
  assert.match(changed[0]!.message, /field is immutable/);
  assert.equal(validateObject(info("deployments"), { metadata: { name: "d" }, spec: {} }).map((c) => c.field), ["spec.selector", "spec.template.spec.containers"]);
});

test("validateObject() keeps an Event in the namespace of what it is about, a Node's in default", () => {
  const ev = (ns: string, about: Record<string, string>) => validateObject(info("events"), { metadata: { name: "e", namespace: ns }, involvedObject: about });
  assert.equal(ev("default", { kind: "Node", name: "n" }), []);
  assert.equal(ev("shop", { kind: "Pod", name: "p", namespace: "shop" }), []);
  assert.equal(ev("shop", { kind: "Node", name: "n" }).map((c) => [c.field, c.message]), [["involvedObject.namespace", 'Invalid value: "": does not match event.namespace']]);
  assert.equal(ev("default", { kind: "Pod", name: "p", namespace: "shop" }).map((c) => c.field), ["involvedObject.namespace"]);
});

test.run();
