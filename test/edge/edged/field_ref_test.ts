import { test } from "uvu";
import * as assert from "uvu/assert";
import { expandVars, fieldRefValue } from "../../../lib/edge/edged/field_ref.ts";
import type { Pod } from "../../../lib/edge/edged/index.ts";

const pod: Pod = {
  metadata: { name: "p", namespace: "ns", uid: "u-1", labels: { app: "web", tier: "a b" }, annotations: { note: "x" } },
  spec: { containers: [], serviceAccountName: "sa" },
};
const facts = { podIP: "10.0.0.5", hostIP: "192.0.2.1", nodeName: "edge-1" };

test("fieldRefValue() gives pod name, namespace, uid, IPs, node and single labels", () => {
  assert.is(fieldRefValue(pod, "metadata.name", facts), "p");
  assert.is(fieldRefValue(pod, "metadata.namespace", facts), "ns");
  assert.is(fieldRefValue(pod, "metadata.uid", facts), "u-1");
  assert.is(fieldRefValue(pod, "status.podIP", facts), "10.0.0.5");
  assert.is(fieldRefValue(pod, "status.hostIP", facts), "192.0.2.1");
  assert.is(fieldRefValue(pod, "spec.nodeName", facts), "edge-1");
  assert.is(fieldRefValue(pod, "spec.serviceAccountName", facts), "sa");
  assert.is(fieldRefValue(pod, "metadata.labels['app']", facts), "web");
  assert.is(fieldRefValue(pod, "metadata.labels", facts), 'app="web"\ntier="a b"');
});

test("fieldRefValue() rejects a path the downward API does not offer", () => {
  assert.throws(() => fieldRefValue(pod, "spec.containers", facts), /spec\.containers/);
});

test("expandVars() replaces known names, keeps unknown ones and unescapes $$", () => {
  const vars = new Map([["A", "1"], ["B_2", "two"]]);
  assert.is(expandVars("$(A)-$(B_2)-$(C)", vars), "1-two-$(C)");
  assert.is(expandVars("$$(A) costs $$5", vars), "$(A) costs $5");
});

test.run();
