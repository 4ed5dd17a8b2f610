import { PatchStrategy, setHeaderOptions, type V1Node } from "@kubernetes/client-node";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startTestCluster, type TestCluster } from "./controllers_harness.ts";
import { waitUntil } from "../support/process.ts";

let c: TestCluster;

const node = (name: string): Promise<V1Node> => c.core.readNode({ name });
const ready = (n: V1Node) => n.status?.conditions?.find((x) => x.type === "Ready");
const taintKeys = (n: V1Node) => (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();

test.before(async () => {
  c = await startTestCluster({ nodeMonitorGracePeriodMs: 2000, nodeMonitorPeriodMs: 200 });
  await c.addNode({ name: "e1" });
  await c.addNode({ name: "e2" });
  await c.addNode({ name: "lease-only", heartbeat: "lease", labels: { role: "lease" } });
});

test.after(async () => {
  await c?.close();
});

test("a node that stops renewing turns Unknown with the unreachable taints and keeps its pods", async () => {
  await c.kubectlOk(["create", "deployment", "app", "--image=busybox", "--replicas=2", "--dry-run=client", "-o", "json"])
    .then((json) => c.kubectlOk(["apply", "-f", "-"], json.replace('"spec": {', '"spec": {"template": {"spec": {"nodeSelector": {"role": "worker"}}},')));
  await c.kubectlOk(["label", "node", "e1", "e2", "role=worker"]);
  await c.kubectlOk(["rollout", "status", "deployment/app", "--timeout=30s"]);
  const before = await c.pods("default", "app=app");
  assert.equal(new Set(before.map((p) => p.spec?.nodeName)), new Set(["e1", "e2"]));
  const started = Date.now();
  c.silence("e1");
  const n = await waitUntil(async () => {
    const x = await node("e1");
    return ready(x)?.status === "Unknown" && taintKeys(x).length === 2 ? x : undefined;
  }, 15_000, "e1 Unknown");
  assert.ok(Date.now() - started >= 1500, "not before the grace period");
  assert.is(ready(n)?.reason, "NodeStatusUnknown");
  assert.is(ready(n)?.message, "Kubelet stopped posting node status.");
  assert.equal(taintKeys(n), ["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"]);
  assert.ok(n.spec?.taints?.every((t) => t.timeAdded), "taints carry timeAdded");
  assert.match(await c.kubectlOk(["get", "node", "e1"]), /e1\s+NotReady/);
  assert.match(await c.kubectlOk(["describe", "node", "e1"]), /Taints:\s+node.kubernetes.io\/unreachable:NoExecute\n\s+node.kubernetes.io\/unreachable:NoSchedule/);
  // Edge autonomy: the pod stays bound to the unreachable node (a default cluster would evict it after 5 minutes).
  await new Promise((r) => setTimeout(r, 1500));
  const after = await c.pods("default", "app=app");
  const onE1 = before.find((p) => p.spec?.nodeName === "e1")!;
  const still = after.find((p) => p.metadata?.name === onE1.metadata?.name);
  assert.ok(still && !still.metadata?.deletionTimestamp, "the pod on e1 is neither deleted nor rescheduled");
  assert.is(after.length, 2);
});

test("an unreachable node gets no new pods and loses its taints when it is Ready again", async () => {
  await c.kubectlOk(["scale", "deployment/app", "--replicas=4"]);
  const pods = await waitUntil(async () => {
    const ps = await c.pods("default", "app=app");
    return ps.length === 4 && ps.every((p) => p.spec?.nodeName) ? ps : undefined;
  }, 20_000, "4 bound pods");
  assert.is(pods.filter((p) => p.spec?.nodeName === "e1").length, 1, "only the pod from before is on e1");
  await c.revive("e1");
  const n = await waitUntil(async () => {
    const x = await node("e1");
    return ready(x)?.status === "True" && taintKeys(x).length === 0 ? x : undefined;
  }, 20_000, "e1 Ready without taints");
  assert.is(n.spec?.taints?.length ?? 0, 0);
});

test("a node that renews only its Lease stays Ready", async () => {
  await new Promise((r) => setTimeout(r, 3000)); // a window: the node must not turn NotReady while only its Lease is renewed
  const n = await node("lease-only");
  assert.is(ready(n)?.status, "True");
  assert.equal(taintKeys(n), []);
});

test("a node that reports Ready=False gets the not-ready taints", async () => {
  await c.addNode({ name: "sick", heartbeat: "none" });
  await c.core.patchNodeStatus(
    { name: "sick", body: { status: { conditions: [{ type: "Ready", status: "False", reason: "KubeletNotReady", message: "runtime down" }] } } },
    setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
  );
  const n = await waitUntil(async () => {
    const x = await node("sick");
    return taintKeys(x).includes("node.kubernetes.io/not-ready:NoSchedule") ? x : undefined;
  }, 20_000, "sick tainted");
  assert.equal(taintKeys(n), ["node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/not-ready:NoSchedule"]);
});

test.run();
