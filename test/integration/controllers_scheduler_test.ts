import { test } from "uvu";
import * as assert from "uvu/assert";
import { startTestCluster, type TestCluster } from "./controllers_harness.ts";
import { waitUntil } from "../support/process.ts";

let c: TestCluster;

function pod(name: string, spec: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: "v1", kind: "Pod", metadata: { name, labels: { test: "sched" } },
    spec: { containers: [{ name: "c", image: "busybox" }], ...spec },
  });
}

async function nodeOf(name: string): Promise<string | undefined> {
  return (await c.core.readNamespacedPod({ name, namespace: "default" })).spec?.nodeName;
}

async function failedScheduling(name: string): Promise<string> {
  return waitUntil(async () => {
    const out = await c.kubectlOk(["get", "events", "--field-selector", `involvedObject.name=${name},reason=FailedScheduling`, "-o", "jsonpath={.items[*].message}"]);
    return out.trim();
  }, 20_000, `FailedScheduling of ${name}`);
}

test.before(async () => {
  c = await startTestCluster({ podInitialBackoffMs: 200 });
  for (const name of ["s1", "s2", "s3"]) await c.addNode({ name, cpu: "2", memory: "4Gi", pods: "10", labels: { zone: name === "s3" ? "b" : "a" } });
});

test.after(async () => {
  await c?.close();
});

test("a pod whose nodeSelector matches no node stays Pending with FailedScheduling, then runs where a label appears", async () => {
  await c.kubectlOk(["apply", "-f", "-"], pod("sel", { nodeSelector: { disk: "ssd" } }));
  const message = await failedScheduling("sel");
  assert.is(message, "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
  const described = await c.kubectlOk(["describe", "pod", "sel"]);
  assert.match(described, /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/3 nodes are available/);
  assert.match(described, /PodScheduled\s+False/);
  assert.is(await nodeOf("sel"), undefined);
  await c.kubectlOk(["label", "node", "s2", "disk=ssd"]);
  assert.is(await waitUntil(() => nodeOf("sel"), 20_000, "sel bound"), "s2");
  await waitUntil(async () => (await c.core.readNamespacedPod({ name: "sel", namespace: "default" })).status?.phase === "Running", 20_000, "sel Running");
});

test("a cordoned node gets no new pods and an uncordoned one does", async () => {
  await c.kubectlOk(["cordon", "s1"]);
  await c.kubectlOk(["cordon", "s3"]);
  await c.kubectlOk(["create", "deployment", "cord", "--image=busybox", "--replicas=3", "--dry-run=client", "-o", "json"])
    .then((json) => c.kubectlOk(["apply", "-f", "-"], json));
  const pods = await waitUntil(async () => {
    const ps = await c.pods("default", "app=cord");
    return ps.length === 3 && ps.every((p) => p.spec?.nodeName) ? ps : undefined;
  }, 20_000, "3 bound pods");
  assert.equal([...new Set(pods.map((p) => p.spec?.nodeName))], ["s2"]);
  await c.kubectlOk(["uncordon", "s1"]);
  await c.kubectlOk(["uncordon", "s3"]);
  await c.kubectlOk(["scale", "deployment/cord", "--replicas=5"]);
  const more = await waitUntil(async () => {
    const ps = await c.pods("default", "app=cord");
    return ps.length === 5 && ps.every((p) => p.spec?.nodeName) ? ps : undefined;
  }, 20_000, "5 bound pods");
  assert.equal(new Set(more.map((p) => p.spec?.nodeName)), new Set(["s1", "s2", "s3"]));
  await c.kubectlOk(["delete", "deployment", "cord"]);
});

test("a tainted node takes only pods that tolerate the taint", async () => {
  await c.kubectlOk(["taint", "node", "s3", "dedicated=edge:NoSchedule"]);
  await c.kubectlOk(["apply", "-f", "-"], pod("plain", { nodeSelector: { zone: "b" } }));
  const message = await failedScheduling("plain");
  assert.is(message, "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: edge}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
  await c.kubectlOk(["apply", "-f", "-"], pod("tolerant", { nodeSelector: { zone: "b" }, tolerations: [{ key: "dedicated", operator: "Equal", value: "edge", effect: "NoSchedule" }] }));
  assert.is(await waitUntil(() => nodeOf("tolerant"), 20_000, "tolerant bound"), "s3");
  assert.is(await nodeOf("plain"), undefined);
  await c.kubectlOk(["taint", "node", "s3", "dedicated-"]);
  assert.is(await waitUntil(() => nodeOf("plain"), 20_000, "plain bound after the taint went"), "s3");
});

test("required node affinity and resource requests decide the node", async () => {
  const affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }], matchFields: [{ key: "metadata.name", operator: "NotIn", values: ["s2"] }] }],
      },
    },
  };
  await c.kubectlOk(["apply", "-f", "-"], pod("aff", { affinity }));
  assert.is(await waitUntil(() => nodeOf("aff"), 20_000, "aff bound"), "s1");
  const big = { containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "1500m", memory: "1Gi" } } }] };
  await c.kubectlOk(["apply", "-f", "-"], pod("big1", { ...big, nodeSelector: { "kubernetes.io/hostname": "s1" } }));
  assert.is(await waitUntil(() => nodeOf("big1"), 20_000, "big1 bound"), "s1");
  await c.kubectlOk(["apply", "-f", "-"], pod("big2", { ...big, nodeSelector: { zone: "a" } }));
  assert.is(await waitUntil(() => nodeOf("big2"), 20_000, "big2 bound"), "s2");
  await c.kubectlOk(["apply", "-f", "-"], pod("huge", { containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "3", memory: "128Mi" } } }] }));
  assert.is(await failedScheduling("huge"), "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
  await c.kubectlOk(["delete", "pod", "huge"]);
});

test("a node's pod capacity is respected", async () => {
  await c.addNode({ name: "tiny", pods: "1", labels: { size: "tiny" } });
  await c.kubectlOk(["apply", "-f", "-"], pod("t1", { nodeSelector: { size: "tiny" } }));
  assert.is(await waitUntil(() => nodeOf("t1"), 20_000, "t1 bound"), "tiny");
  await c.kubectlOk(["apply", "-f", "-"], pod("t2", { nodeSelector: { size: "tiny" } }));
  assert.match(await failedScheduling("t2"), "1 Too many pods, 3 node(s) didn't match Pod's node affinity/selector.");
  await c.kubectlOk(["delete", "pod", "t1", "--wait=false"]);
  assert.is(await waitUntil(() => nodeOf("t2"), 20_000, "t2 bound once t1 is gone"), "tiny");
});

test("pods for another scheduler or with a nodeName are left alone", async () => {
  await c.kubectlOk(["apply", "-f", "-"], pod("other", { schedulerName: "my-scheduler" }));
  await c.kubectlOk(["apply", "-f", "-"], pod("fixed", { nodeName: "s2" }));
  await new Promise((r) => setTimeout(r, 500)); // a window: the scheduler must leave "other" unbound
  assert.is(await nodeOf("other"), undefined);
  assert.is(await nodeOf("fixed"), "s2");
  const events = await c.kubectlOk(["get", "events", "--field-selector", "involvedObject.name=other", "-o", "name"]);
  assert.is(events.trim(), "");
});

test.run();
