import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkNodeLabels, nodeMaySetLabel } from "../../../lib/cloud/edgecontroller/node_labels.ts";

test("nodeMaySetLabel() follows NodeRestriction: reserved domains only for the kubelet's own labels", () => {
  for (const k of ["kubernetes.io/hostname", "kubernetes.io/arch", "kubernetes.io/os", "node.kubernetes.io/instance-type", "node.kubernetes.io/anything",
    "kubelet.kubernetes.io/x", "topology.kubernetes.io/zone", "topology.kubernetes.io/region", "example.com/rack", "plain"]) {
    assert.ok(nodeMaySetLabel(k), k);
  }
  for (const k of ["node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master", "node-restriction.kubernetes.io/team", "kubernetes.io/other",
    "foo.k8s.io/x", "k8s.io/x", "x.node-restriction.kubernetes.io/y"]) {
    assert.not.ok(nodeMaySetLabel(k), k);
  }
});

test("checkNodeLabels() passes the edge role labels silently and refuses invalid and forbidden ones", () => {
  const v = checkNodeLabels({ "node-role.kubernetes.io/edge": "", "node-role.kubernetes.io/agent": "", "kubernetes.io/os": "linux", "node-role.kubernetes.io/control-plane": "", "bad key!": "v", ok: "x".repeat(64) });
  assert.equal(v.allowed, { "kubernetes.io/os": "linux" });
  assert.equal(v.refused.map((r) => r.key).sort(), ["bad key!", "node-role.kubernetes.io/control-plane", "ok"]);
  assert.equal(checkNodeLabels("x").refused, [{ key: "Labels", why: "not a map of strings" }]);
  assert.equal(checkNodeLabels(undefined), { allowed: {}, refused: [] });
});

test.run();
