import { test } from "uvu";
import * as assert from "uvu/assert";
import { canonicalJson, podTemplateHash, sameTemplate } from "../../../lib/cloud/controllers/_pod_template_hash.ts";

const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.25" }] } };

test("podTemplateHash() is short, stable and uses the safe alphabet", () => {
  const h = podTemplateHash(template);
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  assert.is(podTemplateHash(structuredClone(template)), h);
});

test("podTemplateHash() ignores key order, nulls and the pod-template-hash label", () => {
  const reordered = { spec: { containers: [{ image: "nginx:1.25", name: "web" }] }, metadata: { creationTimestamp: null, labels: { app: "web", "pod-template-hash": "x" } } };
  assert.is(podTemplateHash(reordered), podTemplateHash(template));
});

test("podTemplateHash() changes with the template and with collisionCount", () => {
  const other = structuredClone(template);
  other.spec.containers[0]!.image = "nginx:1.26";
  assert.is.not(podTemplateHash(other), podTemplateHash(template));
  assert.is.not(podTemplateHash(template, 1), podTemplateHash(template));
  assert.is(podTemplateHash(template, 0), podTemplateHash(template));
});

test("sameTemplate() compares templates apart from the hash label", () => {
  const rsTemplate = structuredClone(template) as typeof template & { metadata: { labels: Record<string, string> } };
  rsTemplate.metadata.labels["pod-template-hash"] = "abc";
  assert.ok(sameTemplate(rsTemplate, template));
  assert.not.ok(sameTemplate({ ...template, spec: { containers: [] } }, template));
});

test("canonicalJson() sorts keys and keeps arrays in order", () => {
  assert.is(canonicalJson({ b: 1, a: [2, 1], c: null }), '{"a":[2,1],"b":1}');
});

test.run();
