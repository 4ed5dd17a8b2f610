import { test } from "uvu";
import * as assert from "uvu/assert";
import { deploymentPrinter } from "../../../../lib/cloud/apiserver/printers/deployment.ts";

const NOW = new Date("2025-01-01T12:00:00Z");

function deployment(spec: object, status: object) {
  return {
    kind: "Deployment",
    apiVersion: "apps/v1",
    metadata: { name: "web", namespace: "default", creationTimestamp: "2025-01-01T11:55:30Z" },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "nginx", image: "nginx:1.27" }, { name: "sidecar", image: "busybox:1.36" }] },
      },
      ...spec,
    },
    status,
  };
}

test("deploymentPrinter has the columns of kubectl get deployments -o wide", () => {
  assert.equal(deploymentPrinter.columns.map((c) => [c.name, c.type, c.priority]), [
    ["Name", "string", 0], ["Ready", "string", 0], ["Up-to-date", "string", 0], ["Available", "string", 0],
    ["Age", "string", 0], ["Containers", "string", 1], ["Images", "string", 1], ["Selector", "string", 1],
  ]);
});

test("deploymentPrinter.cells() prints a deployment with 2 of 3 pods ready, counts as numbers", () => {
  const d = deployment({}, { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1 });
  assert.equal(deploymentPrinter.cells(d, NOW), ["web", "2/3", 3, 2, "4m30s", "nginx,sidecar", "nginx:1.27,busybox:1.36", "app=web"]);
});

test("deploymentPrinter.cells() prints 0/1 and zero counts for a new deployment without status", () => {
  const d = deployment({ replicas: undefined }, {});
  assert.equal(deploymentPrinter.cells(d, NOW).slice(1, 4), ["0/1", 0, 0]);
});

test("deploymentPrinter.cells() prints match expressions sorted by key", () => {
  const selector = {
    matchLabels: { tier: "front", app: "web" },
    matchExpressions: [
      { key: "zone", operator: "NotIn", values: ["b", "a"] },
      { key: "env", operator: "In", values: ["prod"] },
      { key: "canary", operator: "DoesNotExist" },
      { key: "gpu", operator: "Exists" },
    ],
  };
  const d = deployment({ selector }, {});
  assert.is(deploymentPrinter.cells(d, NOW)[7], "app=web,!canary,env in (prod),gpu,tier=front,zone notin (a,b)");
});

test("deploymentPrinter.cells() prints an empty selector as empty text and a broken one as <invalid>", () => {
  assert.is(deploymentPrinter.cells(deployment({ selector: {} }, {}), NOW)[7], "");
  assert.is(deploymentPrinter.cells(deployment({ selector: { matchExpressions: [{ key: "a", operator: "Near" }] } }, {}), NOW)[7], "<invalid>");
});

test.run();
