import { test } from "uvu";
import * as assert from "uvu/assert";
import { autonomyTolerationsPatch, EVICT_ANNOTATION } from "../../../lib/cloud/edgecontroller/tolerations.ts";

test("autonomyTolerationsPatch() adds unreachable and not-ready NoExecute tolerations without a time limit", () => {
  const patch = autonomyTolerationsPatch({ metadata: { name: "p" }, spec: { containers: [], tolerations: [{ key: "dedicated", operator: "Equal", value: "edge", effect: "NoSchedule" }] } });
  assert.equal(patch, {
    spec: {
      tolerations: [
        { key: "dedicated", operator: "Equal", value: "edge", effect: "NoSchedule" },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
      ],
    },
  });
});

test("autonomyTolerationsPatch() lifts the API's 300 s defaults instead of adding unlimited twins", () => {
  const defaults = [
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
  ];
  const patch = autonomyTolerationsPatch({ spec: { containers: [], tolerations: defaults } });
  // the taint manager evicts after the shortest matching tolerationSeconds, so no limited one may remain
  assert.equal(patch?.spec.tolerations, [
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
  ]);
  assert.is(autonomyTolerationsPatch({ spec: { containers: [], tolerations: patch!.spec.tolerations } }), undefined, "applied once, nothing more to do");
});

test("autonomyTolerationsPatch() leaves covered or opted-out pods alone", () => {
  assert.is(autonomyTolerationsPatch({ spec: { containers: [], tolerations: [{ operator: "Exists" }] } }), undefined, "tolerates everything already");
  assert.is(autonomyTolerationsPatch({ metadata: { annotations: { [EVICT_ANNOTATION]: "true" } }, spec: { containers: [] } }), undefined);
});

test.run();
