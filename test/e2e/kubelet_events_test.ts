/**
 * The kubelet's Events from the edge, end to end with real parts: cloud_core (embedded API) and edge_core as
 * processes, a real Docker engine, real kubectl. Three pods on one cluster: one whose image cannot be pulled, one
 * whose container crashes, one whose liveness probe fails; `kubectl get events` shows the kubelet's reasons for each,
 * a repeat is one Event with a count, and `kubectl describe node` shows the node's conditions, capacity, its pods and
 * its events.
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BUSYBOX_IMAGE } from "../../lib/edge/edged/runtime/index.ts";
import { waitUntil } from "../support/process.ts";
import { type DockerCluster, startDockerCluster } from "./_docker_cluster.ts";
import { nodeContainers } from "./_engine.ts";

const NODE_PREFIX = "e2e-ev-node-";
const NODE = `${NODE_PREFIX}${process.pid}`;
const NS = `ev-e2e-${process.pid}`;
/** A registry nothing listens on: the pull fails at once, without the network. */
const MISSING_IMAGE = "127.0.0.1:1/kubeedge-ts/missing:1.0";

let env: DockerCluster | undefined;
let failed = false;

type Event = { type: string; reason: string; message: string; count: number; involvedObject: { kind: string; name: string; fieldPath?: string }; source?: { host?: string } };

const kubectlOk = (args: string[]) => env!.kubectlOk(args);

function pod(name: string, container: object): object {
  return {
    apiVersion: "v1", kind: "Pod", metadata: { name, namespace: NS },
    spec: { nodeName: NODE, terminationGracePeriodSeconds: 1, containers: [{ name: "main", image: BUSYBOX_IMAGE, imagePullPolicy: "IfNotPresent", ...container }] },
  };
}

/** The reasons (and what they say) each pod must get from the edge. */
const EXPECTED: Record<string, { reason: string; type: string; message: RegExp }[]> = {
  "ev-missing": [
    { reason: "Pulling", type: "Normal", message: /^Pulling image "127\.0\.0\.1:1\/kubeedge-ts\/missing:1\.0"$/ },
    { reason: "Failed", type: "Warning", message: /^Failed to pull image "127\.0\.0\.1:1\/kubeedge-ts\/missing:1\.0": / },
    { reason: "Failed", type: "Warning", message: /^Error: ErrImagePull$/ },
    { reason: "BackOff", type: "Normal", message: /^Back-off pulling image "127\.0\.0\.1:1\/kubeedge-ts\/missing:1\.0"$/ },
    { reason: "Failed", type: "Warning", message: /^Error: ImagePullBackOff$/ },
  ],
  "ev-crash": [
    { reason: "Pulled", type: "Normal", message: /already present on machine/ },
    { reason: "Created", type: "Normal", message: /^Created container main$/ },
    { reason: "Started", type: "Normal", message: /^Started container main$/ },
    { reason: "BackOff", type: "Warning", message: /^Back-off restarting failed container main in pod ev-crash_/ },
  ],
  "ev-probe": [
    { reason: "Started", type: "Normal", message: /^Started container main$/ },
    { reason: "Unhealthy", type: "Warning", message: /^Liveness probe failed: / },
    { reason: "Killing", type: "Normal", message: /^Container main failed liveness probe, will be restarted$/ },
  ],
};

function missing(events: Event[]): string[] {
  return Object.entries(EXPECTED).flatMap(([name, wanted]) =>
    wanted.filter((w) => !events.some((e) => e.involvedObject.name === name && e.reason === w.reason && e.type === w.type && w.message.test(e.message)))
      .map((w) => `${name}: ${w.type} ${w.reason} ${w.message}`));
}

test.before(async () => {
  env = await startDockerCluster(NODE_PREFIX, "kubelet events");
  await kubectlOk(["create", "namespace", NS]);
});

test.after(async () => {
  await env?.close(failed || process.env.E2E_KEEP === "1");
});

test("a missing image, a crashing container and a failing probe: `kubectl get events` shows the kubelet's reasons", async () => {
  try {
    const file = join(env!.cluster.dir, "pods.json");
    writeFileSync(file, JSON.stringify({
      apiVersion: "v1", kind: "List", items: [
        pod("ev-missing", { image: MISSING_IMAGE, command: ["sleep", "3600"] }),
        pod("ev-crash", { command: ["sh", "-c", "exit 3"] }),
        pod("ev-probe", { command: ["sleep", "3600"], livenessProbe: { exec: { command: ["false"] }, periodSeconds: 1, failureThreshold: 1 } }),
      ],
    }));
    await kubectlOk(["apply", "--validate=false", "-f", file]);
    let events: Event[] = [];
    await waitUntil(async () => {
      events = JSON.parse(await kubectlOk(["get", "events", "-n", NS, "-o", "json"])).items;
      return missing(events).length === 0 && events.some((e) => e.involvedObject.name === "ev-missing" && e.reason === "BackOff" && e.count >= 2);
    }, 90_000, "the kubelet's events of the three pods", { intervalMs: 1000 }).catch(() => {
      throw new Error(`missing: ${missing(events).join("; ")}\nseen: ${events.map((e) => `${e.involvedObject.name} ${e.reason} x${e.count} ${e.message}`).join("\n")}`);
    });
    const backOff = events.filter((e) => e.involvedObject.name === "ev-missing" && e.reason === "BackOff");
    assert.is(backOff.length, 1, "repeats of the pull back-off are one Event with a count");
    assert.ok(events.every((e) => e.source?.host === NODE), "the node is the source of every event");
    assert.is(events.find((e) => e.reason === "Unhealthy")?.involvedObject.fieldPath, "spec.containers{main}");
    const table = await kubectlOk(["get", "events", "-n", NS]);
    for (const reason of ["Pulling", "Failed", "BackOff", "Created", "Started", "Unhealthy", "Killing"]) assert.match(table, new RegExp(`\\b${reason}\\b`));
  } catch (e) {
    failed = true;
    throw e;
  }
});

test("`kubectl describe node` shows conditions, capacity and allocatable, the node's pods and its events", async () => {
  try {
    const out = await kubectlOk(["describe", "node", NODE]);
    const section = (title: string) => out.slice(out.indexOf(`\n${title}:`) + 1).split(/\n(?=\S)/)[0];
    assert.match(section("Conditions"), /\n\s+Ready\s+True\s+.*EdgeReady\s+edge is posting ready status/);
    assert.match(section("Capacity"), /\n\s+cpu:\s+\d+\n\s+memory:\s+\d+Ki\n\s+pods:\s+110/);
    assert.match(section("Allocatable"), /\n\s+pods:\s+110/);
    const pods = section("Non-terminated Pods");
    assert.match(pods, /\(3 in total\)/);
    for (const name of ["ev-missing", "ev-crash", "ev-probe"]) assert.match(pods, new RegExp(`\\n\\s+${NS}\\s+${name}\\s`));
    assert.match(section("Events"), /\n\s+Normal\s+NodeReady\s+.*\s+Node \S+ status is now: NodeReady/);
  } catch (e) {
    failed = true;
    throw e;
  }
});

test("events the edge records while the cloud is down reach the API when it returns", async () => {
  try {
    // the liveness probe starts failing 20 s after the container starts: by then the cloud is down
    const file = join(env!.cluster.dir, "offline.json");
    writeFileSync(file, JSON.stringify(pod("ev-offline", {
      command: ["sh", "-c", "sleep 20; touch /tmp/bad; sleep 3600"],
      livenessProbe: { exec: { command: ["sh", "-c", "test ! -f /tmp/bad"] }, periodSeconds: 1, failureThreshold: 1 },
    })));
    await kubectlOk(["apply", "-f", file]);
    await waitUntil(async () => (await kubectlOk(["get", "pod", "ev-offline", "-n", NS, "-o", "jsonpath={.status.phase}"])) === "Running", 30_000, "ev-offline Running", { intervalMs: 500 });
    await env!.cluster.stopCloud("SIGTERM");
    const downAt = Date.now();
    const socket = env!.docker.socketPath;
    // the edge restarts the container on its own: the probe failed, and the edge recorded why
    await waitUntil(async () => (await nodeContainers(socket, NODE)).filter((c) => c.pod === "ev-offline" && c.role === "app").length >= 2,
      60_000, "ev-offline's container restarted by the edge while the cloud is down", { intervalMs: 1000 });
    const upAt = Date.now();
    await env!.cluster.startCloud();
    let events: Event[] = [];
    await waitUntil(async () => {
      events = JSON.parse(await kubectlOk(["get", "events", "-n", NS, "--field-selector", "involvedObject.name=ev-offline", "-o", "json"])).items;
      return ["Unhealthy", "Killing"].every((r) => events.some((e) => e.reason === r));
    }, 60_000, "ev-offline's Unhealthy and Killing events in the API", { intervalMs: 1000 }).catch(() => {
      throw new Error(`seen: ${events.map((e) => `${e.reason} x${e.count} ${e.message}`).join("\n")}`);
    });
    for (const reason of ["Unhealthy", "Killing"]) {
      const e = events.find((x) => x.reason === reason) as Event & { firstTimestamp: string };
      const at = Date.parse(e.firstTimestamp);
      // Event times have whole seconds
      assert.ok(at >= downAt - 1000 && at <= upAt, `${reason} first seen ${e.firstTimestamp}, while the cloud was down (${new Date(downAt).toISOString()}..${new Date(upAt).toISOString()})`);
    }
  } catch (e) {
    failed = true;
    throw e;
  }
});

test.run();
