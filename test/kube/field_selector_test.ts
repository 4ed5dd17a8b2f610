import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  checkFieldSelector,
  matchesFields,
  parseFieldSelector,
  supportedFieldLabels,
  type FieldRequirement,
} from "../../lib/kube/field_selector.ts";
import { KubeError } from "../../lib/kube/kube_error.ts";
import type { JsonObject } from "../../lib/kube/types.ts";

const PARSES: [string, FieldRequirement[]][] = [
  ["", []],
  ["metadata.name=web", [{ field: "metadata.name", operator: "=", value: "web" }]],
  ["metadata.name==web", [{ field: "metadata.name", operator: "=", value: "web" }]],
  ["status.phase!=Failed", [{ field: "status.phase", operator: "!=", value: "Failed" }]],
  ["involvedObject.namespace=", [{ field: "involvedObject.namespace", operator: "=", value: "" }]],
  [
    "spec.nodeName=edge-node-1,status.phase=Running",
    [
      { field: "spec.nodeName", operator: "=", value: "edge-node-1" },
      { field: "status.phase", operator: "=", value: "Running" },
    ],
  ],
  ["reason=a\\,b\\=c\\\\d", [{ field: "reason", operator: "=", value: "a,b=c\\d" }]],
  [" status.phase != Failed ", [{ field: "status.phase", operator: "!=", value: "Failed" }]],
  ["a=b=c", [{ field: "a", operator: "=", value: "b=c" }]],
];

for (const [input, requirements] of PARSES) {
  test(`parseFieldSelector() reads ${JSON.stringify(input)}`, () => {
    assert.equal(parseFieldSelector(input).requirements, requirements);
  });
}

const BAD: [string, RegExp][] = [
  ["metadata.name", /term "metadata.name" has no "=", "==" or "!="/],
  ["=x", /term "=x" has no field name/],
  ["a=b,", /term "" has no/],
  ["reason=a\\x", /invalid escape sequence/],
];

for (const [input, message] of BAD) {
  test(`parseFieldSelector() throws SyntaxError for ${JSON.stringify(input)}`, () => {
    assert.throws(
      () => parseFieldSelector(input),
      (err: Error) => err instanceof SyntaxError && err.message.startsWith(`Cannot parse field selector "${input}": `) && message.test(err.message),
    );
  });
}

const POD: JsonObject = {
  kind: "Pod",
  metadata: { name: "web-1", namespace: "default" },
  spec: { nodeName: "edge-node-1", restartPolicy: "Always", schedulerName: "default-scheduler", serviceAccountName: "default" },
  status: { phase: "Running", podIPs: [{ ip: "10.0.0.7" }], nominatedNodeName: "n2" },
};
const NODE: JsonObject = { kind: "Node", metadata: { name: "edge-node-1" }, spec: {} };
const EVENT: JsonObject = {
  kind: "Event",
  metadata: { name: "web-1.abc", namespace: "default" },
  involvedObject: { kind: "Pod", namespace: "default", name: "web-1", uid: "u-1", apiVersion: "v1", resourceVersion: "5", fieldPath: "spec.containers{nginx}" },
  reason: "Pulled",
  type: "Normal",
  source: { component: "kubelet" },
  reportingComponent: "edged",
};
const NODE_EVENT: JsonObject = {
  kind: "Event",
  metadata: { name: "n.1", namespace: "default" },
  involvedObject: { kind: "Node", name: "edge-node-1", uid: "edge-node-1" },
  reason: "Ready",
  type: "Normal",
  reportingComponent: "cloudcore",
};
const SECRET: JsonObject = { kind: "Secret", metadata: { name: "tok", namespace: "kube-system" }, type: "kubernetes.io/service-account-token" };

const MATCHES: [string, JsonObject, string, boolean][] = [
  ["metadata.name=web-1", POD, "Pod", true],
  ["metadata.name=web-2", POD, "Pod", false],
  ["metadata.namespace=default", POD, "Pod", true],
  ["spec.nodeName=edge-node-1,status.phase=Running", POD, "Pod", true],
  ["spec.nodeName=edge-node-1,status.phase!=Succeeded,status.phase!=Failed", POD, "Pod", true],
  ["spec.nodeName=edge-node-2", POD, "Pod", false],
  ["spec.nodeName=", { ...POD, spec: {} }, "Pod", true],
  ["spec.restartPolicy=Always", POD, "Pod", true],
  ["spec.schedulerName=default-scheduler", POD, "Pod", true],
  ["spec.serviceAccountName=default", POD, "Pod", true],
  ["spec.hostNetwork=false", POD, "Pod", true],
  ["spec.hostNetwork=true", { ...POD, spec: { hostNetwork: true } }, "Pod", true],
  ["status.podIP=10.0.0.7", POD, "Pod", true],
  ["status.podIP=10.0.0.8", { ...POD, status: { podIP: "10.0.0.8" } }, "Pod", true],
  ["status.podIPs=10.0.0.7", POD, "Pod", true],
  ["status.nominatedNodeName=n2", POD, "Pod", true],
  ["metadata.name=edge-node-1,spec.unschedulable=false", NODE, "Node", true],
  ["spec.unschedulable=true", { ...NODE, spec: { unschedulable: true } }, "Node", true],
  ["spec.unschedulable!=true", NODE, "Node", true],
  ["involvedObject.name=web-1,involvedObject.namespace=default,involvedObject.uid=u-1", EVENT, "Event", true],
  ["involvedObject.kind=Pod,involvedObject.apiVersion=v1,involvedObject.resourceVersion=5", EVENT, "Event", true],
  ["involvedObject.fieldPath=spec.containers{nginx}", EVENT, "Event", true],
  ["reason=Pulled,type=Normal,source=kubelet,reportingComponent=edged", EVENT, "Event", true],
  ["involvedObject.kind=Node,involvedObject.uid=edge-node-1,involvedObject.name=edge-node-1,involvedObject.namespace=", NODE_EVENT, "Event", true],
  ["involvedObject.namespace=", EVENT, "Event", false],
  ["source=cloudcore", NODE_EVENT, "Event", true],
  ["type=kubernetes.io/service-account-token", SECRET, "Secret", true],
  ["type=Opaque", SECRET, "Secret", false],
  ["metadata.name=cfg", { metadata: { name: "cfg", namespace: "default" } }, "ConfigMap", true],
  ["metadata.namespace=", { metadata: { name: "dev" } }, "Device", true],
  ["", POD, "Pod", true],
];

for (const [input, obj, kind, expected] of MATCHES) {
  test(`matchesFields() is ${expected} for ${JSON.stringify(input)} on a ${kind}`, () => {
    assert.is(matchesFields(parseFieldSelector(input), obj, kind), expected);
  });
}

const UNSUPPORTED: [string, string, string][] = [
  ["spec.nodeName=x", "Node", "spec.nodeName"],
  ["status.phase=Running", "ConfigMap", "status.phase"],
  ["metadata.name=a,metadata.labels=x", "Pod", "metadata.labels"],
  ["type=Opaque", "ConfigMap", "type"],
  ["spec.unschedulable=true", "Pod", "spec.unschedulable"],
];

for (const [input, kind, label] of UNSUPPORTED) {
  test(`matchesFields() and checkFieldSelector() reject ${label} for ${kind} with a 400 KubeError`, () => {
    const sel = parseFieldSelector(input);
    for (const run of [() => checkFieldSelector(sel, kind), () => matchesFields(sel, { metadata: { name: "a" } }, kind)]) {
      try {
        run();
        assert.unreachable("should throw");
      } catch (err) {
        assert.instance(err, KubeError);
        const e = err as KubeError;
        assert.is(e.code, "FieldLabelNotSupported");
        assert.is(e.message, `field label not supported: ${label}`);
        assert.is(e.status, 400);
        assert.is(e.reason, "BadRequest");
      }
    }
  });
}

test("checkFieldSelector() accepts the fields kubectl describe sends", () => {
  checkFieldSelector(parseFieldSelector("spec.nodeName=n,status.phase!=Succeeded,status.phase!=Failed"), "Pod");
  checkFieldSelector(parseFieldSelector("involvedObject.kind=Node,involvedObject.uid=n,involvedObject.name=n,involvedObject.namespace="), "Event");
});

test("supportedFieldLabels() lists the metadata fields plus the kind's own", () => {
  assert.equal(supportedFieldLabels("ConfigMap"), ["metadata.name", "metadata.namespace"]);
  assert.equal(supportedFieldLabels("Node"), ["metadata.name", "metadata.namespace", "spec.unschedulable"]);
  assert.ok(supportedFieldLabels("Pod").includes("status.nominatedNodeName"));
  assert.is(supportedFieldLabels("Event").length, 2 + 7 + 4);
});

test.run();
