/**
 * The user journey of the README, end to end with real parts only: cloud_core and edge_core as processes, a real
 * Docker engine, real kubectl against the embedded API, mosquitto clients and the sample mapper on the edge's broker.
 *
 * The steps run in order and share state; a step whose prerequisite failed fails at once and names that step.
 * On any failure (or with E2E_KEEP=1) the temp folder with every process's debug log is kept and its path printed.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type TestDocker, useTestDockerWithBusybox } from "../support/docker.ts";
import { freePort } from "../support/mosquitto.ts";
import { type Background, ROOT, startBackground, tsArgs, waitUntil } from "../support/process.ts";
import { createCluster, type E2eCluster } from "./_cluster.ts";
import { type EngineContainer, nodeContainers, removeNodeContainers, removeStaleRuns } from "./_engine.ts";
import { publish, subscribe, type Subscriber } from "./_mqtt.ts";

const NODE_PREFIX = "e2e-node-";
const NODE = `${NODE_PREFIX}${process.pid}`;
const DEVICE = "counter";
const PAGE = "Hello from the edge";
const FRESH_STATUS_MS = 5_000;
const POLL_MS = 200;

/** The steps, in order; `need` names the one whose result is missing. */
const STEP = {
  start: "cloud_core and edge_core start from their configs and the node turns Ready in kubectl",
  apply: "kubectl apply of the sample web app runs its pod Running on the edge node",
  serve: "the app serves its ConfigMap on 127.0.0.1:<hostPort>",
  killCloud: "with cloud_core killed (SIGKILL) the app keeps serving",
  restartEdge: "edge_core killed and restarted while the cloud is down adopts the same containers and keeps serving",
  cloudBack: "cloud_core back: kubectl shows the pod Running with fresh status within 5 s and the node Ready",
  device: "a Device applied with kubectl reaches the edge's MQTT broker as membership",
  mapper: "the sample mapper's reports show in the Device status (status.twins[*].reported)",
  desired: "a desired value set with kubectl patch reaches the mapper as a delta and its counts come back",
  logs: "kubectl logs on the edge pod prints httpd's output",
  exec: "kubectl exec on the edge pod runs a command in its container",
  delete: "kubectl delete of the Deployment removes its containers from the engine and its pod from the API",
} as const;

/** What the steps hand on to each other. */
const s: {
  docker?: TestDocker;
  cluster?: E2eCluster;
  hostPort?: number;
  pod?: string;
  podGraceSeconds?: number;
  containers?: EngineContainer[];
  killedAt?: number;
  sub?: Subscriber;
  mapper?: Background;
  failed: boolean;
  /** Wall time of each step, printed at the end. */
  timings: string[];
} = { failed: false, timings: [] };

/** One ordered step of the journey; its wall time is printed so slow steps show. */
function step(name: string, fn: () => Promise<void>): void {
  test(name, async () => {
    const started = Date.now();
    try {
      await fn();
    } catch (e) {
      s.failed = true;
      throw e;
    } finally {
      s.timings.push(`${String(Date.now() - started).padStart(6)} ms  ${name}`);
    }
  });
}

/** A value an earlier step should have produced; fails fast naming that step when it did not. */
function need<T>(value: T | undefined, from: string): T {
  if (value === undefined) throw new Error(`not run: needs the result of step "${from}", which failed`);
  return value;
}

async function kubectlOk(args: string[], timeoutMs = 20_000): Promise<string> {
  const c = need(s.cluster, STEP.start);
  const r = await c.kubectl(args, { timeoutMs });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} exited ${r.code}: ${r.stderr.trim()}`);
  return r.stdout;
}

async function kubectlJson(args: string[]): Promise<any> {
  return JSON.parse(await kubectlOk([...args, "-o", "json"]));
}

/** The page on the node's hostPort, or the reason it could not be read. */
async function page(port: number): Promise<string> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
    return `${res.status} ${await res.text()}`;
  } catch (e) {
    return `unreachable: ${e instanceof Error ? (e.cause as Error | undefined)?.message ?? e.message : String(e)}`;
  }
}

async function expectServing(what: string, timeoutMs: number): Promise<void> {
  const port = need(s.hostPort, STEP.apply);
  await waitSeen(what, timeoutMs, async () => {
    const answer = await page(port);
    return answer.includes(PAGE) ? undefined : answer.slice(0, 200);
  });
}

const readyOf = (o: any) => o?.status?.conditions?.find((c: any) => c.type === "Ready");

/** The web pods as kubectl lists them. */
async function webPods(): Promise<any[]> {
  return (await kubectlJson(["get", "pods", "-l", "app=web"])).items;
}

async function runningContainers(): Promise<EngineContainer[]> {
  const c = need(s.cluster, STEP.start);
  return (await nodeContainers(need(s.docker, STEP.start).socketPath, c.nodeName)).filter((x) => x.state === "running");
}

/** Waits for a condition checked by `probe`, which returns undefined when met or a description of what it saw. */
async function waitSeen(what: string, timeoutMs: number, probe: () => Promise<string | undefined>): Promise<void> {
  let seen = "nothing yet";
  const ok = await waitUntil(async () => {
    const r = await probe().catch((e: unknown) => `error: ${e instanceof Error ? e.message : String(e)}`);
    if (r === undefined) return true;
    seen = r;
    // each probe runs kubectl, docker or fetch: a few per second is enough and leaves the two cores to the system
    await new Promise((done) => setTimeout(done, POLL_MS));
    return false;
  }, timeoutMs, what).catch(() => false);
  if (!ok) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen}`);
}

step(STEP.start, async () => {
  s.docker = await useTestDockerWithBusybox();
  await removeStaleRuns(s.docker.socketPath, NODE_PREFIX);
  const cluster = await createCluster({ dockerSocket: s.docker.socketPath, nodeName: NODE });
  s.cluster = cluster;
  await cluster.startCloud();
  await cluster.issueCert();
  await cluster.startEdge();
  await waitSeen(`node "${NODE}" Ready in kubectl get node`, 30_000, async () => {
    const node = await kubectlJson(["get", "node", NODE]);
    const ready = readyOf(node);
    return ready?.status === "True" ? undefined : `Ready=${ready?.status ?? "absent"} (${ready?.reason ?? ""} ${ready?.message ?? ""})`;
  });
});

step(STEP.apply, async () => {
  const cluster = need(s.cluster, STEP.start);
  const port = await freePort();
  const yamlText = readFileSync(join(ROOT, "conf/samples/web.yaml"), "utf8");
  assert.match(yamlText, /hostPort: 8080/, "conf/samples/web.yaml should publish hostPort 8080");
  const file = join(cluster.dir, "web.yaml");
  writeFileSync(file, yamlText.replace(/hostPort: 8080/, `hostPort: ${port}`));
  const out = await kubectlOk(["apply", "-f", file]);
  assert.match(out, /deployment.apps\/web (created|configured)/);
  s.hostPort = port;
  await waitSeen("one web pod Running and Ready on the edge node", 60_000, async () => {
    const pods = await webPods();
    if (pods.length === 0) {
      const sets = (await kubectlJson(["get", "replicasets", "-l", "app=web"])).items;
      return sets.length
        ? `no web pod; ReplicaSets: ${sets.map((r: any) => `${r.metadata.name} replicas=${r.spec?.replicas} status=${JSON.stringify(r.status ?? {})}`).join(", ")}`
        : "no web pod and no ReplicaSet for Deployment web (is the Deployment controller running?)";
    }
    if (pods.length !== 1) return `${pods.length} web pods: ${pods.map((p) => `${p.metadata.name}/${p.status?.phase}`).join(", ")}`;
    const p = pods[0];
    const ready = readyOf(p);
    if (p.spec?.nodeName !== NODE || p.status?.phase !== "Running" || ready?.status !== "True") {
      return `pod ${p.metadata.name} node=${p.spec?.nodeName ?? "(unscheduled)"} phase=${p.status?.phase} ready=${ready?.status}`;
    }
    s.pod = p.metadata.name;
    s.podGraceSeconds = p.spec.terminationGracePeriodSeconds ?? 30;
    return undefined;
  });
});

step(STEP.serve, async () => {
  need(s.pod, STEP.apply);
  await expectServing("the ConfigMap page on the hostPort", 20_000);
  s.containers = await runningContainers();
  assert.ok(s.containers.some((c) => c.role === "app"), `the engine should run the app container; it runs ${JSON.stringify(s.containers)}`);
});

step(STEP.killCloud, async () => {
  need(s.containers, STEP.serve);
  const cluster = need(s.cluster, STEP.start);
  await cluster.stopCloud("SIGKILL");
  s.killedAt = Date.now();
  await expectServing("the page with the cloud down", 5_000);
});

step(STEP.restartEdge, async () => {
  const before = need(s.containers, STEP.serve);
  need(s.killedAt, STEP.killCloud);
  const cluster = need(s.cluster, STEP.start);
  await cluster.stopEdge("SIGKILL");
  await expectServing("the page with edge_core down", 5_000);
  await cluster.startEdge();
  const edge = cluster.edge()!;
  await edge.waitFor(/edged started.*pods=1/, 15_000);
  // the first status computed after start means the pod worker compared the engine with the stored pod once
  await edge.waitFor(/pod status changed.*phase=Running/, 20_000);
  const after = await runningContainers();
  assert.equal(after.map((c) => c.id).sort(), before.map((c) => c.id).sort(), "the running containers should be the same ones (same IDs)");
  assert.not.match(edge.output(), /(container|sandbox) started/, "the restarted edge_core should not start containers");
  await expectServing("the page after the edge_core restart", 5_000);
});

step(STEP.cloudBack, async () => {
  const containers = need(s.containers, STEP.serve);
  const killedAt = need(s.killedAt, STEP.killCloud);
  const pod = need(s.pod, STEP.apply);
  const cluster = need(s.cluster, STEP.start);
  const app = containers.find((c) => c.role === "app")!;
  const startedAt = await cluster.startCloud();
  await waitSeen(`fresh status in kubectl within ${FRESH_STATUS_MS} ms of "cloud_core started"`, FRESH_STATUS_MS, async () => {
    const node = await kubectlJson(["get", "node", NODE]);
    const ready = readyOf(node);
    const beat = Date.parse(ready?.lastHeartbeatTime ?? "");
    // the API keeps seconds only
    if (ready?.status !== "True" || !(beat >= Math.floor(killedAt / 1000) * 1000)) {
      return `node Ready=${ready?.status} lastHeartbeatTime=${ready?.lastHeartbeatTime} (cloud killed at ${new Date(killedAt).toISOString()})`;
    }
    const p = await kubectlJson(["get", "pod", pod]);
    const cs = p.status?.containerStatuses?.[0];
    if (p.status?.phase !== "Running" || readyOf(p)?.status !== "True" || cs?.containerID !== `docker://${app.id}`) {
      return `pod phase=${p.status?.phase} ready=${readyOf(p)?.status} containerID=${cs?.containerID} (engine: docker://${app.id})`;
    }
    return undefined;
  });
  s.timings.push(`${String(Date.now() - startedAt).padStart(6)} ms  (fresh status seen after "cloud_core started")`);
});

step(STEP.device, async () => {
  const cluster = need(s.cluster, STEP.start);
  const port = cluster.ports.mqtt;
  s.sub = await subscribe(port, [
    `$hw/events/node/${NODE}/membership/updated`,
    `$hw/events/node/${NODE}/membership/get/result`,
    `$hw/events/device/${DEVICE}/twin/update/delta`,
  ]);
  const file = join(cluster.dir, "device.yaml");
  const yamlText = readFileSync(join(ROOT, "conf/samples/device-counter.yaml"), "utf8");
  assert.match(yamlText, /- edge-node-1/, "conf/samples/device-counter.yaml should bind the device to edge-node-1");
  writeFileSync(file, yamlText.replace(/- edge-node-1/, `- ${NODE}`));
  await kubectlOk(["apply", "-f", file]);
  await s.sub.waitFor(`$hw/events/node/${NODE}/membership/updated`,
    (b) => b.added_devices?.some((d: any) => d.id === DEVICE), 15_000, `"${DEVICE}" in added_devices on membership/updated`);
  await publish(port, `$hw/events/node/${NODE}/membership/get`, { event_id: "e2e", timestamp: Date.now() });
  await s.sub.waitFor(`$hw/events/node/${NODE}/membership/get/result`,
    (b) => b.devices?.some((d: any) => d.id === DEVICE || d.name === DEVICE), 10_000, `"${DEVICE}" in membership/get/result`);
});

/** A reported twin value of the Device, as `kubectl get device -o jsonpath` prints it. */
async function reported(property: string): Promise<string> {
  return (await kubectlOk(["get", "device", DEVICE, "-o", `jsonpath={.status.twins[?(@.propertyName=="${property}")].reported.value}`])).trim();
}

step(STEP.mapper, async () => {
  const cluster = need(s.cluster, STEP.start);
  need(s.sub, STEP.device);
  s.mapper = startBackground(...tsArgs("conf/samples/mapper.ts", "--broker", `tcp://127.0.0.1:${cluster.ports.mqtt}`, "--device", DEVICE, "--interval", "300"));
  await s.mapper.waitFor(/mapper: connected/, 15_000);
  await waitSeen(`reported "status" = "OFF" on Device "${DEVICE}"`, 15_000, async () => {
    const v = await reported("status");
    return v === "OFF" ? undefined : `reported status "${v}"; mapper says: ${s.mapper!.output().trim().split("\n").slice(-2).join(" | ")}`;
  });
});

step(STEP.desired, async () => {
  const sub = need(s.sub, STEP.device);
  const mapper = need(s.mapper, STEP.mapper);
  await kubectlOk(["patch", "device", DEVICE, "--type", "merge", "-p",
    JSON.stringify({ status: { twins: [{ propertyName: "status", desired: { value: "ON", metadata: { type: "string" } } }] } })]);
  await sub.waitFor(`$hw/events/device/${DEVICE}/twin/update/delta`, (b) => b.delta?.status === "ON", 15_000, `delta status=ON on twin/update/delta`);
  await mapper.waitFor(/mapper: status=ON/, 10_000);
  await waitSeen(`reported "count" >= 1 on Device "${DEVICE}"`, 15_000, async () => {
    const v = await reported("count");
    return Number(v) >= 1 ? undefined : `reported count "${v}"`;
  });
});

step(STEP.logs, async () => {
  const pod = need(s.pod, STEP.apply);
  await expectServing("one more request for the log", 5_000);
  const r = await need(s.cluster, STEP.start).kubectl(["logs", pod, "--tail=20"], { timeoutMs: 15_000 });
  assert.is(r.code, 0, `kubectl logs should exit 0; stderr: ${r.stderr.trim()}`);
  assert.match(r.stdout, /response:200/, "kubectl logs should print httpd's request log (httpd -v logs each request)");
});

step(STEP.exec, async () => {
  const pod = need(s.pod, STEP.apply);
  const r = await need(s.cluster, STEP.start).kubectl(["exec", pod, "--", "cat", "/www/index.html"], { timeoutMs: 15_000 });
  assert.is(r.code, 0, `kubectl exec should exit 0; stderr: ${r.stderr.trim()}`);
  assert.match(r.stdout, PAGE);
});

step(STEP.delete, async () => {
  const pod = need(s.pod, STEP.apply);
  await kubectlOk(["delete", "deployment", "web", "--wait=false"]);
  // httpd runs as PID 1 and ignores SIGTERM, so the pod's grace period (30 s unless the sample sets one) runs out
  const graceMs = 1000 * (need(s.podGraceSeconds, STEP.apply));
  await waitSeen("no container of the pod left in the engine", graceMs + 15_000, async () => {
    const left = (await nodeContainers(need(s.docker, STEP.start).socketPath, NODE)).filter((c) => c.pod === pod);
    return left.length ? `${left.length} containers: ${left.map((c) => `${c.name} ${c.state}`).join(", ")}` : undefined;
  });
  await waitSeen("the pod gone from kubectl get pods", 10_000, async () => {
    const pods = await webPods();
    return pods.length ? `pods: ${pods.map((p) => `${p.metadata.name} phase=${p.status?.phase} deleting=${!!p.metadata.deletionTimestamp}`).join(", ")}` : undefined;
  });
});

test.after(async () => {
  console.log(`\n  journey steps:\n${s.timings.map((t) => `    ${t}`).join("\n")}`);
  await s.mapper?.kill("SIGTERM");
  await s.sub?.close();
  const keep = s.failed || process.env.E2E_KEEP === "1";
  if (s.cluster) {
    if (keep) console.log(`  [journey] logs of every process kept in ${s.cluster.dumpLogs()}`);
    await s.cluster.close(keep);
  }
  if (s.docker) {
    await removeNodeContainers(s.docker.socketPath, NODE).catch((e) => console.log(`  [journey] cleanup: ${e}`));
    await s.docker.release();
  }
});

test.run();
