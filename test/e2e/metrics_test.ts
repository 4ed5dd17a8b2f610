/**
 * Prometheus metrics and health endpoints with real processes: cloud_core (embedded API) and edge_core on a real
 * Docker engine, a pod and MQTT traffic as the workload. Both `/metrics` pages pass the real `promtool check metrics`
 * (Debian's prometheus package), carry the metrics a fleet operator watches, and those move with the workload;
 * `/healthz` and `/readyz` answer 200 on both.
 *
 * @module
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type TestDocker, useTestDockerWithBusybox } from "../support/docker.ts";
import { onPath } from "../../cross/host_tools.ts";
import { runToEnd, waitUntil } from "../support/process.ts";
import { requireTool } from "../support/skip.ts";
import { createCluster, type E2eCluster } from "./_cluster.ts";
import { removeNodeContainers } from "./_engine.ts";
import { publish } from "./_mqtt.ts";

const NODE = `metrics-node-${process.pid}`;
let docker: TestDocker | undefined;
let cluster: E2eCluster | undefined;

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const r = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: r.status, body: await r.text() };
}

/** The value of one series (`name{labels}` as printed), or undefined when the page lacks it. */
function value(page: string, series: string): number | undefined {
  for (const line of page.split("\n")) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

async function promtool(page: string): Promise<void> {
  const bin = requireTool("promtool (Debian package prometheus)", onPath("promtool") ? "promtool" : undefined);
  if (!bin) return;
  const r = await runToEnd(bin, ["check", "metrics"], { input: page, timeoutMs: 30_000 });
  assert.is(r.code, 0, `promtool check metrics:\n${r.stdout}${r.stderr}`);
}

test.after(async () => {
  if (docker) await removeNodeContainers(docker.socketPath, NODE).catch(() => {});
  await cluster?.close(false);
  await docker?.release();
});

test("cloud_core and edge_core serve /metrics that promtool accepts, /healthz and /readyz; metrics move with a workload", async () => {
  docker = await useTestDockerWithBusybox();
  cluster = await createCluster({ dockerSocket: docker.socketPath, nodeName: NODE });
  await cluster.startCloud();
  await cluster.issueCert();
  await cluster.startEdge();
  const c = cluster;
  const { cloudMetrics, edgeMetrics, mqtt } = c.ports;
  await waitUntil(async () => (await c.kubectl(["get", "node", NODE, "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}"])).stdout === "True", 30_000, "node Ready");

  for (const port of [cloudMetrics, edgeMetrics]) {
    assert.equal(await get(port, "/healthz"), { status: 200, body: "ok\n" });
    const ready = await waitUntil(async () => {
      const r = await get(port, "/readyz?verbose");
      return r.status === 200 ? r.body : "";
    }, 15_000, `/readyz 200 on ${port}`);
    assert.match(ready, /readyz check passed/);
  }
  const edgeBefore = (await get(edgeMetrics, "/metrics")).body;
  const cloudBefore = (await get(cloudMetrics, "/metrics")).body;

  // the workload: a pod on the edge, and a device twin request over MQTT
  const pod = `apiVersion: v1
kind: Pod
metadata: {name: sleeper, namespace: default}
spec:
  nodeName: ${NODE}
  terminationGracePeriodSeconds: 1
  containers: [{name: main, image: kubeedge-ts/busybox:latest, imagePullPolicy: IfNotPresent, command: ["sleep", "3600"]}]
`;
  const applied = await c.kubectl(["apply", "-f", "-"], { stdin: pod });
  assert.is(applied.code, 0, applied.stderr);
  await publish(mqtt, "$hw/events/device/no-such-device/twin/update", { event_id: "e1", timestamp: Date.now(), twin: { t: { actual: { value: "1" } } } });

  let last = "";
  const edgeAfter = await waitUntil(async () => {
    last = (await get(edgeMetrics, "/metrics")).body;
    return value(last, 'kubeedge_edge_pods{phase="Running"}') === 1 && (value(last, 'kubeedge_edge_twin_requests_total{action="twinUpdate"}') ?? 0) >= 1 ? last : undefined;
  }, 120_000, "edge metrics: one Running pod and one twin request").catch(async (e: Error) => {
    const pods = await c.kubectl(["get", "pods", "-o", "wide"]);
    throw new Error(`${e.message}\n${pods.stdout}${pods.stderr}\n${last.split("\n").filter((l) => /pods|twin/.test(l)).join("\n")}`);
  });
  const cloudAfter = (await get(cloudMetrics, "/metrics")).body;
  await promtool(edgeAfter!);
  await promtool(cloudAfter);

  // the edge: link, store, bus, MQTT, process
  assert.is(value(edgeAfter!, "kubeedge_edge_cloud_link_up"), 1);
  assert.ok(value(edgeAfter!, "kubeedge_edge_link_messages_received_total")! > (value(edgeBefore, "kubeedge_edge_link_messages_received_total") ?? 0), "messages from the cloud move");
  assert.ok(value(edgeAfter!, "kubeedge_edge_link_messages_sent_total")! > (value(edgeBefore, "kubeedge_edge_link_messages_sent_total") ?? 0), "reports to the cloud move");
  assert.ok(value(edgeAfter!, "kubeedge_edge_link_connects_total")! >= 1);
  assert.ok(value(edgeAfter!, "kubeedge_edge_store_commit_duration_seconds_count")! > value(edgeBefore, "kubeedge_edge_store_commit_duration_seconds_count")!, "store commits are timed");
  assert.ok(value(edgeAfter!, 'kubeedge_edge_store_bytes{file="journal"}')! > 0);
  assert.ok(value(edgeAfter!, 'kubeedge_edge_twin_request_duration_seconds_count{action="twinUpdate"}')! >= 1);
  assert.ok(value(edgeAfter!, 'kubeedge_edge_bus_queue_depth{module="edged"}') !== undefined);
  assert.ok(value(edgeAfter!, "kubeedge_edge_mqtt_clients") !== undefined);
  assert.ok(value(edgeAfter!, "kubeedge_edge_mqtt_messages_received_total")! >= 1);
  assert.ok(value(edgeAfter!, "process_resident_memory_bytes")! > 10e6);
  assert.ok(value(edgeAfter!, "process_cpu_seconds_total")! > 0);

  // the cloud: nodes, per-link counters, store, controllers, process
  assert.is(value(cloudAfter, "kubeedge_cloud_connected_nodes"), 1);
  assert.ok(value(cloudAfter, `kubeedge_cloud_link_messages_sent_total{node="${NODE}"}`)! > (value(cloudBefore, `kubeedge_cloud_link_messages_sent_total{node="${NODE}"}`) ?? 0), "per-link sent moves");
  assert.ok(value(cloudAfter, `kubeedge_cloud_link_messages_received_total{node="${NODE}"}`)! > 0);
  assert.ok(value(cloudAfter, `kubeedge_cloud_link_pending_messages{node="${NODE}"}`) !== undefined);
  assert.ok(value(cloudAfter, "kubeedge_cloud_handshakes_shed_total") !== undefined);
  assert.ok(value(cloudAfter, "kubeedge_cloud_store_commit_duration_seconds_count")! > value(cloudBefore, "kubeedge_cloud_store_commit_duration_seconds_count")!);
  assert.ok(value(cloudAfter, "kubeedge_cloud_edge_objects_sent_total")! >= 1);
  assert.ok(value(cloudAfter, "process_resident_memory_bytes")! > 10e6);
});

test("edge_core's /readyz names the container engine when it does not answer, and /healthz still says alive", async () => {
  const c = await createCluster({ dockerSocket: "/nonexistent/docker.sock", nodeName: `${NODE}-noengine` });
  try {
    await c.startCloud();
    await c.issueCert();
    await c.startEdge();
    const r = await waitUntil(async () => {
      const x = await get(c.ports.edgeMetrics, "/readyz");
      return x.status === 503 ? x.body : "";
    }, 15_000, "/readyz 503");
    assert.match(r, /\[-\]container-runtime failed: container runtime at \/nonexistent\/docker\.sock does not answer/);
    assert.match(r, /\[\+\]store ok/);
    assert.equal(await get(c.ports.edgeMetrics, "/healthz"), { status: 200, body: "ok\n" });
  } finally {
    await c.close(false);
  }
});

test.run();
