/**
 * EdgeController with real processes: cloud_core with its embedded API, two edge_core nodes on the shared test
 * engine, real kubectl. Shows node registration and readiness, downstream to the right node only (ConfigMaps,
 * Secrets, Services and the service-link variables containers get from them), node authorization of queries (over a real TLS link with a third node's certificate), NotReady after the grace period
 * with the link cut and Ready again after reconnect, pods left bound throughout.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as yaml from "js-yaml";
import WebSocket from "ws";
import { DockerRuntime, ensureBusyboxImage } from "../../lib/edge/edged/runtime/index.ts";
import { decodeMessage, encodeMessage, newMessage, type Message } from "../../lib/model/index.ts";
import { ensureCloudPki, issueNodeCertificate, writeNodeCertificate } from "../../lib/pki/index.ts";
import { openStore } from "../../lib/store/index.ts";
import { docker as dockerCli, nodeContainers, removeNodeContainers } from "../e2e/_engine.ts";
import { type TestDocker, useTestDocker } from "../support/docker.ts";
import { kubectl, type KubectlEnv } from "../support/kubectl.ts";
import { freePort } from "../support/mosquitto.ts";
import { type Background, ROOT, startBackground, tsArgs, waitUntil } from "../support/process.ts";

const dir = mkdtempSync(join(tmpdir(), "ke-edgecontroller-"));
const run = `${process.pid}`;
const N1 = `ec-a-${run}`, N2 = `ec-b-${run}`, N3 = `ec-c-${run}`;
const SVC_NS = `svc-${run}`;
const GRACE_MS = 2000;
let docker: TestDocker;
let cloud: Background;
const edges = new Map<string, Background>();
let env: KubectlEnv;
let hubPort = 0;

const k = async (...args: string[]) => {
  const r = await kubectl(env, args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};
const readyOf = async (node: string) =>
  (await kubectl(env, ["get", "node", node, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"])).stdout.trim();

function edgeConfig(node: string): string {
  const path = join(dir, `${node}.yaml`);
  writeFileSync(path, [
    `nodeName: ${node}`,
    `dataDir: ${join(dir, node)}`,
    "edgeHub:",
    `  server: 127.0.0.1:${hubPort}`,
    "  reconnectMax: 1s",
    "edged:",
    `  dockerSocket: ${docker.socketPath}`,
    "  statusInterval: 500ms",
    "eventBus:",
    "  internal:",
    "    address: 127.0.0.1:0",
    "",
  ].join("\n"));
  return path;
}

async function startEdge(node: string): Promise<number> {
  const edge = startBackground(...tsArgs(join(ROOT, "cmd/edge_core.ts"), "--config", join(dir, `${node}.yaml`)));
  edges.set(node, edge);
  await edge.waitFor(/edge_core started/, 60_000);
  return Date.now();
}

/** What the node's store holds, read from a copy of its files (the running edge owns the originals). */
async function storedKeys(node: string): Promise<string[]> {
  const copy = join(dir, `copy-${node}-${Date.now()}`);
  mkdirSync(copy);
  for (const f of readdirSync(join(dir, node)).filter((f) => f.startsWith("edge.db"))) cpSync(join(dir, node, f), join(copy, f));
  const store = await openStore(join(copy, "edge.db"));
  try {
    return store.all<{ key: string }>("SELECT key FROM meta ORDER BY key").map((r) => r.key);
  } finally {
    await store.close();
  }
}

test.before(async () => {
  docker = await useTestDocker();
  await ensureBusyboxImage(new DockerRuntime({ socketPath: docker.socketPath }));
  hubPort = await freePort();
  const apiPort = await freePort();
  writeFileSync(join(dir, "cloud.yaml"), [
    `dataDir: ${join(dir, "cloud")}`,
    `cloudHub: {address: "127.0.0.1:${hubPort}"}`,
    `apiserver: {address: "127.0.0.1:${apiPort}"}`,
    `edgeController: {nodeGracePeriod: ${GRACE_MS}ms}`,
    "",
  ].join("\n"));
  cloud = startBackground(...tsArgs(join(ROOT, "cmd/cloud_core.ts"), "--config", join(dir, "cloud.yaml")));
  await cloud.waitFor(/cloud_core started/, 60_000);
  env = { kubeconfig: join(dir, "cloud/kubeconfig"), home: join(dir, "home") };
  const pki = await ensureCloudPki({ ca: join(dir, "cloud/pki/ca.crt"), caKey: join(dir, "cloud/pki/ca.key"), cert: join(dir, "cloud/pki/server.crt"), key: join(dir, "cloud/pki/server.key") });
  for (const node of [N1, N2, N3]) await writeNodeCertificate(join(dir, node, "certs"), await issueNodeCertificate(pki, node));
  edgeConfig(N1);
  edgeConfig(N2);
});

test.after(async () => {
  await Promise.all([...edges.values()].map((e) => e.kill("SIGKILL")));
  await cloud?.kill("SIGTERM");
  for (const node of [N1, N2]) await removeNodeContainers(docker.socketPath, node).catch(() => {});
  await docker?.release();
  rmSync(dir, { recursive: true, force: true });
});

test("a new edge node registers and turns Ready within 2 s of its start", async () => {
  for (const node of [N1, N2]) {
    const started = await startEdge(node);
    await waitUntil(async () => (await readyOf(node)) === "True", 10_000, `${node} Ready`);
    const tookMs = Date.now() - started;
    assert.ok(tookMs <= 2000 + 500, `${node} Ready ${tookMs} ms after start (kubectl polling adds up to ~0.5 s)`);
    const labels = JSON.parse(await k("get", "node", node, "-o", "jsonpath={.metadata.labels}"));
    assert.is(labels["node-role.kubernetes.io/edge"], "");
    assert.is(labels["kubernetes.io/hostname"], node);
    assert.ok(labels["kubernetes.io/arch"] && labels["kubernetes.io/os"], "arch and os labels");
    const taints = await k("get", "node", node, "-o", "jsonpath={.spec.taints}");
    assert.not.match(taints, /not-ready/, "no not-ready taint left behind once Ready");
    assert.match(await k("get", "lease", "-n", "kube-node-lease", node, "-o", "jsonpath={.spec.holderIdentity}"), new RegExp(node));
  }
});

test("ConfigMaps and Secrets go only to the nodes whose pods use them", async () => {
  const manifest = (name: string, node: string, volume: object) => ({
    apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" },
    spec: {
      nodeName: node, terminationGracePeriodSeconds: 1,
      containers: [{ name: "c", image: "kubeedge-ts/busybox:latest", imagePullPolicy: "IfNotPresent", command: ["sleep", "3600"], volumeMounts: [{ name: "v", mountPath: "/v" }] }],
      volumes: [{ name: "v", ...volume }],
    },
  });
  const objects = [
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm-a", namespace: "default" }, data: { a: "1" } },
    { apiVersion: "v1", kind: "Secret", metadata: { name: "sec-b", namespace: "default" }, stringData: { b: "2" } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm-unused", namespace: "default" }, data: { x: "y" } },
    manifest("pa", N1, { configMap: { name: "cm-a" } }),
    manifest("pb", N2, { secret: { secretName: "sec-b" } }),
  ];
  // one `kind: List` file: kubectl validates each item against the embedded API's OpenAPI
  writeFileSync(join(dir, "objects.yaml"), yaml.dump({ apiVersion: "v1", kind: "List", items: objects }));
  await k("apply", "-f", join(dir, "objects.yaml"));
  await waitUntil(async () => (await k("get", "pods", "pa", "pb", "-o", "jsonpath={.items[*].status.phase}")) === "Running Running", 30_000, "both pods Running");
  const a = await storedKeys(N1), b = await storedKeys(N2);
  assert.ok(a.includes("default/configmap/cm-a") && a.includes("default/pod/pa"), `${N1} holds ${a}`);
  assert.ok(b.includes("default/secret/sec-b") && b.includes("default/pod/pb"), `${N2} holds ${b}`);
  assert.not.ok(a.some((x) => x.includes("sec-b") || x.endsWith("/pb")), `${N1} holds nothing of ${N2}: ${a}`);
  assert.not.ok(b.some((x) => x.includes("cm-a") || x.endsWith("/pa")), `${N2} holds nothing of ${N1}: ${b}`);
  assert.not.ok([...a, ...b].some((x) => x.includes("cm-unused")), "an unused ConfigMap goes nowhere");
  const tolerations = await k("get", "pod", "pa", "-o", "jsonpath={.spec.tolerations}");
  assert.not.match(tolerations, /tolerationSeconds/, "autonomy tolerations carry no time limit");
});

test("a pod's node gets the Services of its namespace and default/kubernetes, its container their link variables; no other node does", async () => {
  const ns = SVC_NS;
  await k("create", "namespace", ns);
  await k("create", "service", "clusterip", "web", "-n", ns, "--tcp=80:8080");
  const pod = {
    apiVersion: "v1", kind: "Pod", metadata: { name: "linked", namespace: ns },
    spec: { nodeName: N1, terminationGracePeriodSeconds: 1, containers: [{ name: "c", image: "kubeedge-ts/busybox:latest", imagePullPolicy: "IfNotPresent", command: ["sleep", "3600"] }] },
  };
  writeFileSync(join(dir, "linked.yaml"), yaml.dump(pod));
  await k("apply", "-f", join(dir, "linked.yaml"));
  await waitUntil(async () => (await k("get", "pod", "linked", "-n", ns, "-o", "jsonpath={.status.phase}")) === "Running", 30_000, "linked pod Running");
  const webKey = `${ns}/service/web`, apiKey = "default/service/kubernetes";
  const a = await storedKeys(N1), b = await storedKeys(N2);
  assert.ok(a.includes(webKey) && a.includes(apiKey), `${N1} holds ${a}`);
  assert.ok(b.includes(apiKey), `every edge node holds ${apiKey}: ${b}`);
  assert.not.ok(b.includes(webKey), `${N2} runs no pod in ${ns}, so it must not hold ${webKey}: ${b}`);

  const webIP = await k("get", "service", "web", "-n", ns, "-o", "jsonpath={.spec.clusterIP}");
  const apiIP = await k("get", "service", "kubernetes", "-n", "default", "-o", "jsonpath={.spec.clusterIP}");
  const app = (await nodeContainers(docker.socketPath, N1)).find((c) => c.pod === "linked" && c.role === "app");
  assert.ok(app, "the linked pod's container is on the engine");
  const envOf: string[] = JSON.parse(await dockerCli(docker.socketPath, ["inspect", app!.id, "--format", "{{json .Config.Env}}"]));
  for (const want of [`WEB_SERVICE_HOST=${webIP}`, "WEB_SERVICE_PORT=80", `WEB_PORT=tcp://${webIP}:80`, `KUBERNETES_SERVICE_HOST=${apiIP}`]) {
    assert.ok(envOf.includes(want), `container env has ${want}: ${envOf.join(" ")}`);
  }

  // a Service added later reaches the node; once its last pod there is gone, the namespace's Services leave it
  await k("create", "service", "clusterip", "late", "-n", ns, "--tcp=81");
  await waitUntil(async () => (await storedKeys(N1)).includes(`${ns}/service/late`), 10_000, "late Service on the node");
  await k("delete", "pod", "linked", "-n", ns, "--wait=true", "--timeout=30s");
  await waitUntil(async () => !(await storedKeys(N1)).some((x) => x.startsWith(`${ns}/service/`)), 10_000, `${ns} Services gone from ${N1}`);
  assert.ok((await storedKeys(N1)).includes(apiKey), `${N1} keeps ${apiKey}`);
});

test("a node may query only what its own pods use", async () => {
  const tls = { ca: readFileSync(join(dir, N3, "certs/ca.crt")), cert: readFileSync(join(dir, N3, "certs/node.crt")), key: readFileSync(join(dir, N3, "certs/node.key")) };
  const ws = new WebSocket(`wss://127.0.0.1:${hubPort}/e632aba927ea4ac2b575ec1603d56f10/${N3}/events`, { ...tls, headers: { node_id: N3 } });
  const replies: Message[] = [];
  ws.on("message", (data: Buffer) => replies.push(decodeMessage(data)));
  await new Promise<void>((ok, fail) => {
    ws.once("open", ok);
    ws.once("error", fail);
  });
  try {
    const ask = async (resource: string) => {
      const q = newMessage({ source: "metaManager", group: "meta", operation: "query", resource, content: null, sync: true });
      ws.send(encodeMessage(q));
      const reply = await waitUntil<Message | undefined>(() => replies.find((r) => r.header.parent_msg_id === q.header.msg_id), 10_000, `reply to ${resource}`);
      if (!reply) throw new Error(`no reply to ${resource}`);
      assert.is(reply.route.operation, "error", `${N3} must not read ${resource}`);
      return String(reply.content);
    };
    for (const resource of ["default/pod/pb", "default/configmap/cm-a", "default/secret/sec-b"]) {
      assert.match(await ask(resource), new RegExp(`node "${N3}" may not read`));
    }
    // Services are only ever sent, never answered: a node cannot pull another namespace's
    assert.match(await ask(`${SVC_NS}/service/web`), /does not handle query of service/);
  } finally {
    ws.close();
  }
});

test("a node whose link is cut turns NotReady after the grace period, keeps its pods, and is Ready again within 2 s", async () => {
  await edges.get(N1)!.kill("SIGKILL");
  const cut = Date.now();
  await waitUntil(async () => (await readyOf(N1)) === "Unknown", GRACE_MS + 15_000, `${N1} NotReady`);
  assert.ok(Date.now() - cut >= GRACE_MS - 200, "not before the grace period");
  assert.is(await k("get", "pod", "pa", "-o", "jsonpath={.spec.nodeName}"), N1, "its pod stays bound");
  assert.is(await readyOf(N2), "True", "the other node is untouched");
  // made while the node is away: its resync on reconnect brings it
  await k("create", "service", "clusterip", "while-away", "--tcp=82");
  const restarted = await startEdge(N1);
  await waitUntil(async () => (await readyOf(N1)) === "True", 10_000, `${N1} Ready again`);
  const tookMs = Date.now() - restarted;
  assert.ok(tookMs <= 2000 + 500, `Ready ${tookMs} ms after the edge restarted`);
  await waitUntil(async () => (await k("get", "pod", "pa", "-o", "jsonpath={.status.phase}")) === "Running", 10_000, "pod status fresh");
  await waitUntil(async () => (await storedKeys(N1)).includes("default/service/while-away"), 10_000, "a Service made while the node was away reaches it");
});

test.run();
