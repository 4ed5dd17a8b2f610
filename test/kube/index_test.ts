import { test } from "uvu";
import * as assert from "uvu/assert";
import * as kube from "../../lib/kube/index.ts";

test("the lib/kube face exports every helper", () => {
  const names = [
    "applyJsonPatch", "checkFieldSelector", "deepClone", "deepEqual", "fieldsV1Of", "getPath", "isPlainObject",
    "jsonMergePatch", "KubeError", "labelSelectorFromObject", "matchesFields", "matchesLabels", "milliValue", "objectKey",
    "parseFieldSelector", "parseJsonPointer", "parseLabelSelector", "parseQuantity", "recordUpdate", "selectorToString", "serverSideApply", "setPath",
    "strategicMergePatch", "supportedFieldLabels", "supportsStrategicMerge", "conditionsOf", "findCondition", "nodeStatusShape",
    "podStatusShape",
  ];
  assert.equal(Object.keys(kube).sort(), [...names, "shape"].sort());
  assert.type(kube.shape.obj, "function");
  for (const name of names) assert.type((kube as Record<string, unknown>)[name], "function");
});

test("the lib/kube face serves a list request's selectors end to end", () => {
  const pod = { kind: "Pod", metadata: { name: "w", namespace: "default", labels: { app: "web" } }, spec: { nodeName: "edge-node-1" }, status: { phase: "Running" } };
  const labels = kube.parseLabelSelector("app=web,tier notin (x)");
  const fields = kube.parseFieldSelector("spec.nodeName=edge-node-1,status.phase=Running");
  assert.ok(kube.matchesLabels(labels, pod.metadata.labels) && kube.matchesFields(fields, pod, "Pod"));
});

test.run();
