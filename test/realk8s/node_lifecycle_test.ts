import { test } from "uvu";
import * as assert from "uvu/assert";
import { removeNodeContainers } from "../e2e/_engine.ts";
import { type TestDocker, useTestDockerWithBusybox } from "../support/docker.ts";
import { startKubectl } from "../support/kubectl.ts";
import { waitUntil } from "../support/process.ts";
import { checkOn, createRealCloud, readyOf, type RealCloud, type RealEdge } from "./_cloud.ts";

// An edge node against the real control plane, cloud_core running as its ServiceAccount: registration with labels,
// Ready, a Lease the real node-lifecycle controller sees renewed, NotReady after the edge is lost, Ready within 2 s
// of its return, and a pod that is not evicted while the node is away.

const GRACE = "2s";
const NS = `lifecycle-${process.pid}`;
let rc: RealCloud | undefined;
let docker: TestDocker | undefined;
let edge: RealEdge;
/** Stays up: a zone whose nodes are all NotReady puts the real controller in full-disruption mode, where it taints nothing. */
let witness: RealEdge;
/** Both nodes get a zone of their own, so other tests' nodes sharing the control plane do not change the zone state. */
const ZONE = `lifecycle-${process.pid}`;
let failed = false;
let setupError: unknown;

const getJson = async (args: string[]) => JSON.parse(await rc!.kubectl([...args, "-o", "json"]));
const node = () => getJson(["get", "node", edge.name]);

test.before(async () => {
  try {
    rc = await createRealCloud({ nodeGracePeriod: GRACE });
    if (!rc) return;
    docker = await useTestDockerWithBusybox();
    await rc.startCloud();
    edge = await rc.addEdge("lifecycle", { dockerSocket: docker.socketPath });
    witness = await rc.addEdge("lifecycle-witness", { dockerSocket: docker.socketPath });
    rc.own(NS);
    await rc.kubectl(["create", "namespace", NS]);
  } catch (e) {
    // uvu drops an error thrown by a before hook: keep it for the first test to report
    setupError = e;
    failed = true;
  }
});

test.after(async () => {
  if (!rc) return;
  if (failed) console.error(`logs kept in ${rc.dumpLogs()}`);
  await rc.kubectlRaw(["-n", NS, "delete", "pod", "--all", "--grace-period=0", "--force"]);
  await rc.close(failed);
  // a stopped edge_core leaves its pods running (edge autonomy): remove them from the shared engine
  for (const e of [edge, witness]) if (docker && e) await removeNodeContainers(docker.socketPath, e.name);
  await docker?.release();
});

const check = checkOn(() => ({ rc, setupError }), () => (failed = true));

check("the edge node registers with its labels and turns Ready; its Lease is renewed", async () => {
  await Promise.all([edge.start(), witness.start()]);
  const n = await waitUntil(async () => {
    const o = await node();
    return readyOf(o)?.status === "True" ? o : undefined;
  }, 30_000, `node ${edge.name} Ready`);
  const labels = n.metadata.labels;
  assert.is(labels["node-role.kubernetes.io/edge"], "");
  assert.is(labels["kubernetes.io/hostname"], edge.name);
  assert.is(labels["kubernetes.io/os"], "linux");
  assert.ok(labels["kubernetes.io/arch"], "arch label");
  assert.equal(n.status.daemonEndpoints.kubeletEndpoint.Port > 0, true);
  const lease = await getJson(["-n", "kube-node-lease", "get", "lease", edge.name]);
  assert.is(lease.spec.holderIdentity, edge.name);
  // renewed by the edge's status reports (every 2 s here)
  await waitUntil(async () => (await getJson(["-n", "kube-node-lease", "get", "lease", edge.name])).spec.renewTime !== lease.spec.renewTime, 15_000, "the Lease renewTime to move");
  await waitUntil(async () => readyOf(await getJson(["get", "node", witness.name]))?.status === "True", 30_000, `node ${witness.name} Ready`);
  await rc!.kubectl(["label", "node", edge.name, witness.name, `topology.kubernetes.io/zone=${ZONE}`]);
});

check("a pod the real scheduler puts on the edge node gets tolerations that keep it bound while the node is away", async () => {
  // tolerationSeconds: 2 would let the real taint manager evict the pod 2 s after the unreachable taint
  const pod = {
    apiVersion: "v1", kind: "Pod", metadata: { name: "stay", namespace: NS },
    spec: {
      nodeSelector: { "kubernetes.io/hostname": edge.name },
      terminationGracePeriodSeconds: 1,
      tolerations: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 2 }],
      containers: [{ name: "main", image: "kubeedge-ts/busybox:latest", imagePullPolicy: "Never", command: ["sleep", "3600"] }],
    },
  };
  await rc!.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(pod) });
  await waitUntil(async () => {
    const p = await getJson(["-n", NS, "get", "pod", "stay"]);
    const t = (p.spec.tolerations ?? []).filter((x: any) => x.key === "node.kubernetes.io/unreachable");
    return p.spec.nodeName === edge.name && p.status.phase === "Running" && t.length === 1 && t[0].tolerationSeconds === undefined;
  }, 60_000, "pod stay Running on the edge node with an unlimited unreachable toleration");
});

check("after edge_core is killed the node turns NotReady, is tainted unreachable and keeps its pod", async () => {
  await edge.stop("SIGKILL");
  const lost = Date.now();
  await waitUntil(async () => readyOf(await node())?.status === "Unknown", 15_000, "Ready=Unknown after the edge was lost");
  const notReadyMs = Date.now() - lost;
  // the real node-lifecycle controller taints the node; a pod without our toleration would go 2 s after
  const taint = await waitUntil(async () => ((await node()).spec.taints ?? []).find((t: any) => t.key === "node.kubernetes.io/unreachable" && t.effect === "NoExecute"), 30_000, "unreachable NoExecute taint");
  const taintedAt = Date.parse(taint.timeAdded);
  await waitUntil(async () => Date.now() - taintedAt > 4_000, 10_000, "twice the pod's old tolerationSeconds since the taint");
  const p = await getJson(["-n", NS, "get", "pod", "stay"]);
  assert.is(p.metadata.deletionTimestamp, undefined, "the pod is not being evicted");
  assert.is(p.spec.nodeName, edge.name);
  console.log(`NotReady ${notReadyMs} ms after kill -9 (nodeGracePeriod ${GRACE})`);
});

check("edge_core back: the node is Ready within 2 s of its return", async () => {
  // a watch sees the change when the API makes it; polling with kubectl would add its own start-up time
  const watch = startKubectl(rc!.admin, ["get", "node", edge.name, "-w", "-o", `jsonpath={.status.conditions[?(@.type=="Ready")].status}{"\\n"}`]);
  const seen: { at: number; status: string }[] = [];
  let buf = "";
  watch.stdout!.on("data", (d) => {
    buf += d;
    for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
      seen.push({ at: Date.now(), status: buf.slice(0, i).trim() });
      buf = buf.slice(i + 1);
    }
  });
  try {
    await waitUntil(() => seen.length > 0, 20_000, "the node watch to start");
    assert.is(seen[0].status, "Unknown");
    await edge.start();
    const back = Date.now();
    const ready = (await waitUntil(() => seen.find((e) => e.status === "True"), 10_000, "Ready=True in the node watch"))!;
    const ms = ready.at - back;
    console.log(`Ready ${ms} ms after edge_core reconnected`);
    assert.ok(ms <= 2_000, `Ready ${ms} ms after the edge's return, expected at most 2000`);
  } finally {
    watch.kill("SIGKILL");
  }
  await waitUntil(async () => !((await node()).spec.taints ?? []).some((t: any) => t.key === "node.kubernetes.io/unreachable"), 20_000, "the unreachable taint removed");
  const p = await getJson(["-n", NS, "get", "pod", "stay"]);
  assert.is(p.metadata.deletionTimestamp, undefined);
});

check("cloud_core, running as the ServiceAccount of conf/kubernetes/, was denied nothing", async () => {
  assert.equal(rc!.rbacDenials(), []);
});

test.run();
