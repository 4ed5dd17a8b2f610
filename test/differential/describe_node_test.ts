/**
 * `kubectl describe node` on the embedded API against a real kube-apiserver: the same node (conditions with reasons
 * and messages, capacity, allocatable), the same pods bound to it (a Running one in the non-terminated table, a
 * Succeeded one left out: fieldSelector spec.nodeName and status.phase) and the same edge Event about it
 * (involvedObject field selectors across namespaces) give the same text, ages and creation times aside.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startDifferential, type Differential, type Side } from "./_harness.ts";

let d: Differential | undefined;
const node = `diff-describe-${Math.random().toString(16).slice(2, 8)}`;
const MERGE = { contentType: "application/merge-patch+json" };
const AT = "2026-12-06T10:00:00Z";

test.before(async () => {
  d = await startDifferential("describe");
});
test.after(async () => {
  if (d) {
    for (const side of [d.embedded, d.real]) {
      await side.request("DELETE", `/api/v1/namespaces/default/events/${node}.1`);
      await side.request("DELETE", `/api/v1/nodes/${node}`);
    }
  }
  await d?.close();
});

const resources = { cpu: "4", memory: "8049136Ki", pods: "110" };
const nodeStatus = {
  status: {
    capacity: resources, allocatable: resources,
    conditions: [{ type: "Ready", status: "False", reason: "KubeletNotReady", message: "container runtime is down: cannot reach /run/docker.sock: ENOENT", lastHeartbeatTime: AT, lastTransitionTime: AT }],
    addresses: [{ type: "InternalIP", address: "10.0.0.7" }, { type: "Hostname", address: node }],
    nodeInfo: {
      machineID: "m", systemUUID: "", bootID: "b", kernelVersion: "6.1.0", osImage: "Debian GNU/Linux 12 (bookworm)", containerRuntimeVersion: "docker://24.0.7",
      kubeletVersion: "v1.28.7", kubeProxyVersion: "", operatingSystem: "linux", architecture: "amd64",
    },
  },
};

const pod = (name: string) => ({
  apiVersion: "v1", kind: "Pod", metadata: { name },
  spec: { nodeName: node, containers: [{ name: "c", image: "busybox:1.36", resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } } }] },
});

/** Makes the node, its pods and its Event on one side. */
async function setUp(side: Side): Promise<void> {
  const ok = (r: { status: number; body: unknown }, what: string) => assert.ok(r.status < 300, `${side.name}: ${what}: ${r.status} ${JSON.stringify(r.body)}`);
  ok(await side.request("POST", "/api/v1/nodes", { apiVersion: "v1", kind: "Node", metadata: { name: node, labels: { "node-role.kubernetes.io/edge": "" } } }), "create node");
  ok(await side.request("PATCH", `/api/v1/nodes/${node}/status`, nodeStatus, MERGE), "node status");
  for (const [name, phase] of [["running", "Running"], ["done", "Succeeded"]]) {
    ok(await side.request("POST", "/api/v1/namespaces/{ns}/pods", pod(name)), `create pod ${name}`);
    ok(await side.request("PATCH", `/api/v1/namespaces/{ns}/pods/${name}/status`, { status: { phase } }, MERGE), `pod ${name} ${phase}`);
  }
  // a Node's events live in namespace default: the real API refuses them elsewhere
  ok(await side.request("POST", "/api/v1/namespaces/default/events", {
    apiVersion: "v1", kind: "Event", metadata: { name: `${node}.1` },
    involvedObject: { kind: "Node", name: node, uid: node },
    reason: "NodeNotReady", type: "Warning", count: 3, firstTimestamp: AT, lastTimestamp: AT,
    message: `Node ${node} status is now: NodeNotReady (ContainerRuntimeDown: container runtime is down: cannot reach /run/docker.sock: ENOENT)`,
    source: { component: "edged", host: node },
  }), "create event");
}

/**
 * What may differ between two runs of describe a few seconds apart: times of creation, ages, and so the widths of
 * table columns; and the events of the real node controller (RegisteredNode), which the test server does not run.
 */
function stable(text: string): string {
  return text
    .replace(/^(CreationTimestamp:\s+).*$/m, "$1<time>")
    .replace(/\b\d+(s|m|h|d)(\d+(s|m|h))?\b/g, "<age>")
    .split("\n").filter((l) => !/^\s+Normal\s+RegisteredNode\s/.test(l))
    .map((l) => l.replace(/ {2,}/g, "  "))
    .join("\n");
}

test("kubectl describe node: conditions, capacity, non-terminated pods and the node's events as the real API shows them", async () => {
  if (!d) return;
  await setUp(d.embedded);
  await setUp(d.real);
  const [e, r] = [await d.embedded.kubectl(["describe", "node", node]), await d.real.kubectl(["describe", "node", node])];
  assert.is(e.code, 0, e.stderr);
  const [eLines, rLines] = [stable(e.stdout).split("\n"), stable(r.stdout).split("\n")];
  const line = (title: string) => `[${rLines.findIndex((l) => l.startsWith(`${title}:`))}]`;
  d.compare("describe node", eLines, rLines, [
    { path: line("Annotations"), why: "the real controller-manager's TTL controller annotates every node; the embedded test server runs no controllers" },
    { path: line("Taints"), why: "the real node lifecycle controller taints a NotReady node; in cloud_core our own controller does, not the test server" },
  ]);
  assert.match(e.stdout, /Non-terminated Pods:\s+\(1 in total\)/);
  assert.match(e.stdout, /\n\s+Warning\s+NodeNotReady\s+\S+ \(x3 over \S+\)\s+edged\s+Node \S+ status is now: NodeNotReady \(ContainerRuntimeDown: /);
});

test("an Event about a Node outside namespace default is refused as the real API refuses it", async () => {
  if (!d) return;
  const r = await d.request("a Node's event in another namespace", "POST", "/api/v1/namespaces/{ns}/events", {
    apiVersion: "v1", kind: "Event", metadata: { name: `${node}.2` }, involvedObject: { kind: "Node", name: node }, reason: "X", message: "x",
  });
  assert.is(r.embedded.status, 422);
});

test.run();
