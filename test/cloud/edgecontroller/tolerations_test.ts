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

test("autonomyTolerationsPatch() replaces time-limited defaults and leaves covered or opted-out pods alone", () => {
  const limited = autonomyTolerationsPatch({ spec: { containers: [], tolerations: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }] } });
  assert.is(limited?.spec.tolerations.filter((t) => t.tolerationSeconds === undefined).length, 2, "both keys get an unlimited toleration");
  assert.is(autonomyTolerationsPatch({ spec: { containers: [], tolerations: [{ operator: "Exists" }] } }), undefined, "tolerates everything already");
  assert.is(autonomyTolerationsPatch({ metadata: { annotations: { [EVICT_ANNOTATION]: "true" } }, spec: { containers: [] } }), undefined);
});

test.run();
