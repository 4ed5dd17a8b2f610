/** The real kubectl 1.32 renders the Tables toTable and tableWatchEvent build, the way it renders a real cluster's. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { tableWatchEvent } from "../../../../lib/cloud/apiserver/printers/table_watch_event.ts";
import { toTable } from "../../../../lib/cloud/apiserver/printers/to_table.ts";
import type { IncludeObject } from "../../../../lib/cloud/apiserver/printers/types.ts";
import { findKubectl, startFakeApi, type Captured, type FakeApi } from "../protobuf/_fake_api_server.ts";
import { requireTool } from "../../../support/skip.ts";

const KUBECTL = findKubectl();
const MIN = 60_000;
const at = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().replace(/\.\d{3}Z$/, "Z");
const meta = (name: string, namespace: string | undefined, msAgo: number, extra: object = {}) =>
  ({ name, ...(namespace ? { namespace } : {}), uid: `uid-${name}`, resourceVersion: "7", creationTimestamp: at(msAgo), ...extra });

const running = { name: "nginx", ready: true, restartCount: 0, state: { running: {} } };
const PODS = [
  {
    kind: "Pod", apiVersion: "v1", metadata: meta("web-1", "default", 3 * 60 * MIN, { labels: { app: "web" } }),
    spec: { nodeName: "edge-node-1", containers: [{ name: "nginx", image: "nginx:1.27" }] },
    status: { phase: "Running", podIPs: [{ ip: "10.244.0.4" }], containerStatuses: [running] },
  },
  {
    kind: "Pod", apiVersion: "v1", metadata: meta("crash-1", "default", 2 * 24 * 60 * MIN, { labels: { app: "crash" } }),
    spec: { nodeName: "edge-node-2", containers: [{ name: "app", image: "busybox" }] },
    status: {
      phase: "Running", podIPs: [{ ip: "10.244.1.9" }],
      containerStatuses: [{ name: "app", ready: false, restartCount: 3, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 1, finishedAt: at(30 * MIN + 20_000) } } }],
    },
  },
  {
    kind: "Pod", apiVersion: "v1", metadata: meta("old-1", "default", 5 * 60 * MIN, { deletionTimestamp: at(MIN) }),
    spec: { nodeName: "edge-node-1", containers: [{ name: "nginx", image: "nginx:1.27" }] },
    status: { phase: "Running", containerStatuses: [running] },
  },
];
const NODES = [
  {
    kind: "Node", apiVersion: "v1", metadata: meta("edge-node-1", undefined, 3 * 24 * 60 * MIN, { labels: { "node-role.kubernetes.io/edge": "" } }),
    status: {
      conditions: [{ type: "Ready", status: "True" }], addresses: [{ type: "InternalIP", address: "192.168.1.20" }],
      nodeInfo: { kubeletVersion: "v1.29.5-kubeedge-v1.20.0", osImage: "Debian GNU/Linux 12 (bookworm)", kernelVersion: "6.1.0-18-amd64", containerRuntimeVersion: "docker://24.0.7" },
    },
  },
  {
    kind: "Node", apiVersion: "v1", metadata: meta("edge-node-2", undefined, 3 * 24 * 60 * MIN, { labels: { "node-role.kubernetes.io/edge": "" } }),
    spec: { unschedulable: true },
    status: { conditions: [{ type: "Ready", status: "Unknown" }], nodeInfo: { kubeletVersion: "v1.29.5-kubeedge-v1.20.0" } },
  },
];
const DEPLOYMENTS = [{
  kind: "Deployment", apiVersion: "apps/v1", metadata: meta("web", "default", 3 * 60 * MIN),
  spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: { spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] } } },
  status: { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 },
}];
const CONFIGMAPS = [
  { kind: "ConfigMap", apiVersion: "v1", metadata: meta("app-config", "default", 3 * 60 * MIN, { labels: { team: "iot" } }), data: { a: "1", b: "2" } },
  { kind: "ConfigMap", apiVersion: "v1", metadata: meta("kube-root-ca.crt", "kube-system", 3 * 60 * MIN), data: { "ca.crt": "x" } },
];
const EVENTS = [{
  kind: "Event", apiVersion: "v1", metadata: meta("crash-1.17f", "default", 40 * MIN),
  involvedObject: { kind: "Pod", name: "crash-1", namespace: "default" }, reason: "BackOff", type: "Warning",
  message: "Back-off restarting failed container app in pod crash-1_default(uid-crash-1)",
  source: { component: "kubelet", host: "edge-node-2" }, firstTimestamp: at(40 * MIN + 20_000), lastTimestamp: at(30 * MIN + 20_000), count: 12,
}];
const SERVICES = [{
  kind: "Service", apiVersion: "v1", metadata: meta("web", "default", 3 * 60 * MIN),
  spec: { type: "ClusterIP", clusterIPs: ["10.96.12.4"], ports: [{ port: 80, protocol: "TCP" }], selector: { app: "web" } },
}];
const LEASES = [{ kind: "Lease", apiVersion: "coordination.k8s.io/v1", metadata: meta("edge-node-1", "kube-node-lease", 3 * 60 * MIN), spec: { holderIdentity: "edge-node-1" } }];

const RESOURCES: Record<string, { kind: string; items: { metadata: { name: string; namespace?: string } }[] }> = {
  pods: { kind: "Pod", items: PODS }, nodes: { kind: "Node", items: NODES }, deployments: { kind: "Deployment", items: DEPLOYMENTS },
  configmaps: { kind: "ConfigMap", items: CONFIGMAPS }, events: { kind: "Event", items: EVENTS }, services: { kind: "Service", items: SERVICES },
  leases: { kind: "Lease", items: LEASES },
};

/** Answers list, get and watch requests with Tables, as the embedded server will. */
function serve(req: Captured) {
  const url = new URL(req.url, "http://x");
  const m = /^\/apis?\/(?:[^/]+\/)?v1\/(?:namespaces\/([^/]+)\/)?([a-z]+)(?:\/([^/]+))?$/.exec(url.pathname);
  const accept = String(req.headers.accept ?? "");
  if (!m || !Object.hasOwn(RESOURCES, m[2]) || !accept.includes("as=Table")) return { status: 406, body: { kind: "Status", apiVersion: "v1", status: "Failure", code: 406 } };
  const [, namespace, plural, name] = m;
  const { kind, items } = RESOURCES[plural];
  const selected = items.filter((o) => (!namespace || o.metadata.namespace === namespace) && (!name || o.metadata.name === name));
  const includeObject = (url.searchParams.get("includeObject") ?? "Metadata") as IncludeObject;
  if (url.searchParams.get("watch") === "true") {
    const modified = { ...selected[0], metadata: { ...selected[0].metadata, resourceVersion: "8" }, status: { phase: "Running", containerStatuses: [{ ...running, restartCount: 1 }] } };
    return { status: 200, stream: [tableWatchEvent("MODIFIED", modified, { first: true }), tableWatchEvent("DELETED", modified)] };
  }
  return { status: 200, body: toTable(kind, selected, { resourceVersion: "7", includeObject }) };
}

/** kubectl's table output as cells: tabwriter pads columns with at least 3 spaces. */
const cellsOf = (stdout: string) => stdout.trimEnd().split("\n").map((line) => line.trim().split(/ {2,}/));

let api: FakeApi;

if (KUBECTL) {
  test.before(async () => {
    api = await startFakeApi(KUBECTL, serve);
  });
  test.after(async () => {
    await api.close();
  });

  test("kubectl get pods prints READY, STATUS and RESTARTS from the server's cells", async () => {
    const out = await api.kubectl(["get", "pods"]);
    assert.is(out.code, 0, out.stderr);
    assert.equal(cellsOf(out.stdout), [
      ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
      ["web-1", "1/1", "Running", "0", "3h"],
      ["crash-1", "0/1", "CrashLoopBackOff", "3 (30m ago)", "2d"],
      ["old-1", "1/1", "Terminating", "0", "5h"],
    ]);
  });

  test("kubectl get pods -o wide shows the priority-1 columns", async () => {
    const out = await api.kubectl(["get", "pods", "-o", "wide"]);
    assert.equal(cellsOf(out.stdout)[0], ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
    assert.equal(cellsOf(out.stdout)[1], ["web-1", "1/1", "Running", "0", "3h", "10.244.0.4", "edge-node-1", "<none>", "<none>"]);
    assert.equal(cellsOf(out.stdout)[3].slice(5), ["<none>", "edge-node-1", "<none>", "<none>"]);
  });

  test("kubectl get pods --show-labels reads labels from the row's PartialObjectMetadata", async () => {
    const out = await api.kubectl(["get", "pods", "--show-labels"]);
    assert.equal(cellsOf(out.stdout).map((row) => row.at(-1)), ["LABELS", "app=web", "app=crash", "<none>"]);
  });

  test("kubectl get pods --sort-by sorts on the full objects of includeObject=Object", async () => {
    const out = await api.kubectl(["get", "pods", "--sort-by=.metadata.name"]);
    assert.is(out.code, 0, out.stderr);
    assert.equal(cellsOf(out.stdout).slice(1).map((row) => row[0]), ["crash-1", "old-1", "web-1"]);
    assert.ok(api.requests.some((r) => r.url.includes("includeObject=Object")));
  });

  test("kubectl get nodes -o wide prints status, roles and node info", async () => {
    const out = await api.kubectl(["get", "nodes", "-o", "wide"]);
    assert.equal(cellsOf(out.stdout), [
      ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
      ["edge-node-1", "Ready", "edge", "3d", "v1.29.5-kubeedge-v1.20.0", "192.168.1.20", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64", "docker://24.0.7"],
      ["edge-node-2", "NotReady,SchedulingDisabled", "edge", "3d", "v1.29.5-kubeedge-v1.20.0", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"],
    ]);
  });

  test("kubectl get deployments -o wide prints 2/3 ready and the numeric cells", async () => {
    const out = await api.kubectl(["get", "deployments", "-o", "wide"]);
    assert.equal(cellsOf(out.stdout), [
      ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"],
      ["web", "2/3", "3", "2", "3h", "nginx", "nginx:1.27", "app=web"],
    ]);
  });

  test("kubectl get configmaps -A adds NAMESPACE from the row metadata", async () => {
    const out = await api.kubectl(["get", "configmaps", "-A"]);
    assert.equal(cellsOf(out.stdout), [
      ["NAMESPACE", "NAME", "DATA", "AGE"],
      ["default", "app-config", "2", "3h"],
      ["kube-system", "kube-root-ca.crt", "1", "3h"],
    ]);
  });

  test("kubectl get events, services and leases print their columns", async () => {
    const events = await api.kubectl(["get", "events"]);
    assert.equal(cellsOf(events.stdout), [
      ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
      ["30m", "Warning", "BackOff", "pod/crash-1", "Back-off restarting failed container app in pod crash-1_default(uid-crash-1)"],
    ]);
    const services = await api.kubectl(["get", "services", "-o", "wide"]);
    assert.equal(cellsOf(services.stdout), [
      ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"],
      ["web", "ClusterIP", "10.96.12.4", "<none>", "80/TCP", "3h", "app=web"],
    ]);
    const leases = await api.kubectl(["get", "leases", "-n", "kube-node-lease"]);
    assert.equal(cellsOf(leases.stdout), [["NAME", "HOLDER", "AGE"], ["edge-node-1", "edge-node-1", "3h"]]);
  });

  test("kubectl get pod NAME prints the one-row table", async () => {
    const out = await api.kubectl(["get", "pod", "crash-1"]);
    assert.equal(cellsOf(out.stdout)[1], ["crash-1", "0/1", "CrashLoopBackOff", "3 (30m ago)", "2d"]);
  });

  test("kubectl get pods -w prints the header once and one row per table watch event", async () => {
    const out = await api.kubectl(["get", "pods", "-w"]);
    assert.is(out.code, 0, out.stderr);
    const rows = cellsOf(out.stdout);
    assert.equal(rows[0], ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    assert.is(rows.filter((r) => r[0] === "NAME").length, 1);
    assert.equal(rows.slice(-2).map((r) => r.slice(0, 4)), [["web-1", "1/1", "Running", "1"], ["web-1", "1/1", "Running", "1"]]);
  });
} else {
  test("kubectl get tests need kubectl on PATH", () => {
    requireTool("kubectl (for the real kubectl rendering checks)", KUBECTL);
  });
}

test.run();
