/**
 * Service accounts end to end, with real parts only: cloud_core (embedded API) and edge_core as processes, a real
 * Docker engine, real kubectl. A pod with the `default` ServiceAccount runs on the edge with the token, CA and
 * namespace files a real cluster gives it; a pod whose token cannot be issued still starts and the edge says why in
 * a Warning Event.
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BUSYBOX_IMAGE } from "../../lib/edge/edged/runtime/index.ts";
import { type TestDocker, useTestDockerWithBusybox } from "../support/docker.ts";
import { waitUntil } from "../support/process.ts";
import { createCluster, type E2eCluster } from "./_cluster.ts";
import { docker, nodeContainers, removeNodeContainers, removeStaleRuns } from "./_engine.ts";

const NODE_PREFIX = "e2e-sa-node-";
const NODE = `${NODE_PREFIX}${process.pid}`;
const NS = `sa-e2e-${process.pid}`;
const MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

let dockerEnv: TestDocker | undefined;
let cluster: E2eCluster | undefined;
let failed = false;
/** The token the first test read, for the offline restart. */
let firstToken: string | undefined;

async function kubectlOk(args: string[], timeoutMs = 20_000): Promise<string> {
  const r = await cluster!.kubectl(args, { timeoutMs });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

const kubectlJson = async (args: string[]) => JSON.parse(await kubectlOk([...args, "-o", "json"]));

function applyFile(name: string, doc: object): string {
  const file = join(cluster!.dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

/** A busybox pod that sleeps; `extra` goes into its spec. */
function sleeper(name: string, extra: object = {}): object {
  return {
    apiVersion: "v1", kind: "Pod", metadata: { name, namespace: NS },
    spec: { containers: [{ name: "main", image: BUSYBOX_IMAGE, imagePullPolicy: "IfNotPresent", command: ["sleep", "3600"] }], ...extra },
  };
}

/** Waits until the pod is Running on the node, naming what it saw last. */
async function waitRunning(name: string): Promise<any> {
  let seen = "nothing yet", pod: any;
  await waitUntil(async () => {
    pod = await kubectlJson(["get", "pod", "-n", NS, name]).catch(() => undefined);
    seen = `node=${pod?.spec?.nodeName} phase=${pod?.status?.phase} ${JSON.stringify(pod?.status?.containerStatuses?.[0]?.state ?? {})}`;
    return pod?.status?.phase === "Running";
  }, 60_000, `pod ${name} Running`).catch(() => {
    throw new Error(`pod ${name} not Running within 60 s; last seen: ${seen}`);
  });
  return pod;
}

/** Runs a command in the pod's app container through the Docker CLI (not through our code). */
async function execIn(pod: string, cmd: string[]): Promise<string> {
  const c = (await nodeContainers(dockerEnv!.socketPath, NODE)).find((x) => x.pod === pod && x.role === "app" && x.state === "running");
  if (!c) throw new Error(`no running app container of pod ${pod}`);
  return docker(dockerEnv!.socketPath, ["exec", c.id, ...cmd]);
}

test.before(async () => {
  dockerEnv = await useTestDockerWithBusybox();
  await removeStaleRuns(dockerEnv.socketPath, NODE_PREFIX);
  cluster = await createCluster({ dockerSocket: dockerEnv.socketPath, nodeName: NODE });
  await cluster.startCloud();
  await cluster.issueCert();
  await cluster.startEdge();
  await waitUntil(async () => {
    const node = await kubectlJson(["get", "node", NODE]).catch(() => undefined);
    return node?.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True") ?? false;
  }, 30_000, `node ${NODE} Ready`);
  await kubectlOk(["create", "namespace", NS]);
});

test.after(async () => {
  const keep = failed || process.env.E2E_KEEP === "1";
  if (cluster) {
    if (keep) console.log(`  [service accounts] logs of every process kept in ${cluster.dumpLogs()}`);
    await cluster.close(keep);
  }
  if (dockerEnv) {
    await removeNodeContainers(dockerEnv.socketPath, NODE).catch((e) => console.log(`  [service accounts] cleanup: ${e}`));
    await dockerEnv.release();
  }
});

test("a pod with the default ServiceAccount gets a bound token, ca.crt and namespace in its container", async () => {
  try {
    await kubectlOk(["apply", "-f", applyFile("ok", sleeper("sa-ok", { nodeName: NODE }))]);
    const pod = await waitRunning("sa-ok");
    const token = (await execIn("sa-ok", ["cat", `${MOUNT}/token`])).trim();
    firstToken = token;
    const parts = token.split(".");
    assert.is(parts.length, 3, "the token is a JWT");
    const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
    assert.is(claims.sub, `system:serviceaccount:${NS}:default`);
    assert.equal(claims["kubernetes.io"].pod, { name: "sa-ok", uid: pod.metadata.uid });
    assert.is(claims["kubernetes.io"].warnafter - claims.iat, 3607);
    const rootCa = await kubectlJson(["get", "configmap", "-n", NS, "kube-root-ca.crt"]);
    assert.is(await execIn("sa-ok", ["cat", `${MOUNT}/ca.crt`]), rootCa.data["ca.crt"]);
    assert.is(await execIn("sa-ok", ["cat", `${MOUNT}/namespace`]), NS);
    // the API takes the token as the ServiceAccount's credential
    const whoami = await cluster!.kubectl(["--token", token, "get", "pods", "-n", NS]);
    assert.match(whoami.stderr, `User "system:serviceaccount:${NS}:default" cannot list resource "pods"`);
  } catch (e) {
    failed = true;
    throw e;
  }
});

test("a pod whose token cannot be issued starts without it and gets a FailedMount Warning Event", async () => {
  try {
    await kubectlOk(["create", "serviceaccount", "-n", NS, "doomed"]);
    // no scheduler picks this pod up: it is bound by hand once its ServiceAccount is gone
    await kubectlOk(["apply", "-f", applyFile("denied", sleeper("sa-denied", { serviceAccountName: "doomed", schedulerName: "by-hand" }))]);
    await kubectlOk(["delete", "serviceaccount", "-n", NS, "doomed"]);
    const binding = applyFile("binding", { apiVersion: "v1", kind: "Binding", metadata: { name: "sa-denied" }, target: { kind: "Node", name: NODE } });
    await kubectlOk(["create", "--raw", `/api/v1/namespaces/${NS}/pods/sa-denied/binding`, "-f", binding]);
    await waitRunning("sa-denied");
    const files = (await execIn("sa-denied", ["ls", MOUNT])).split("\n").filter(Boolean).sort();
    assert.equal(files, ["ca.crt", "namespace"]);
    let events: any[] = [];
    await waitUntil(async () => {
      events = (await kubectlJson(["get", "events", "-n", NS, "--field-selector", "involvedObject.name=sa-denied"])).items;
      return events.some((e) => e.reason === "FailedMount");
    }, 30_000, "FailedMount event").catch(() => {
      throw new Error(`no FailedMount event; events: ${JSON.stringify(events.map((e) => [e.type, e.reason, e.message]))}`);
    });
    const ev = events.find((e) => e.reason === "FailedMount");
    assert.is(ev.type, "Warning");
    assert.match(ev.message, /^MountVolume\.SetUp failed for volume "kube-api-access-\w{5}" : failed to fetch token: /);
    assert.match(ev.message, `serviceaccounts "doomed" not found`);
  } catch (e) {
    failed = true;
    throw e;
  }
});

test("after an offline restart of edge_core the pod keeps its token, from the edge's store", async () => {
  try {
    if (!firstToken) throw new Error("not run: needs the token of the first test");
    await cluster!.stopCloud("SIGKILL");
    await cluster!.stopEdge("SIGKILL");
    await cluster!.startEdge();
    // the first pass after the restart rewrites the pod's volumes from the store, then reports the status
    await cluster!.edge()!.waitFor(new RegExp(`\\[edge\\.edged\\.${NS}/sa-ok\\] pod status changed`), 60_000);
    assert.is((await execIn("sa-ok", ["cat", `${MOUNT}/token`])).trim(), firstToken);
  } catch (e) {
    failed = true;
    throw e;
  }
});

test.run();
