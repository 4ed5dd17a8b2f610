/**
 * UsageSampler against the real Docker engine of the test setup: what a reading holds (this node's app containers
 * only) and how the first pass primes the CPU counters.
 *
 * @module
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Label } from "../../../lib/edge/edged/labels.ts";
import { DockerRuntime, ensureBusyboxImage } from "../../../lib/edge/edged/runtime/index.ts";
import { UsageSampler } from "../../../lib/edge/edged/usage_sampler.ts";
import { createLogger } from "../../../lib/log/index.ts";
import type { UsageReport } from "../../../lib/model/index.ts";
import { removeNodeContainers } from "../../e2e/_engine.ts";
import { type TestDocker, useTestDocker } from "../../support/docker.ts";
import { waitUntil } from "../../support/process.ts";

const NODE = `usage-node-${process.pid}`;
const OTHER = `usage-other-${process.pid}`;
let engine: TestDocker | undefined;
let runtime: DockerRuntime | undefined;

test.after(async () => {
  for (const n of [NODE, OTHER]) if (engine) await removeNodeContainers(engine.socketPath, n).catch(() => {});
  await runtime?.close();
  await engine?.release();
});

test("UsageSampler.sample() primes on the first pass, then reports the node and this node's app containers only", async () => {
  engine = await useTestDocker();
  runtime = new DockerRuntime({ socketPath: engine.socketPath });
  const rt = runtime;
  const { tag } = await ensureBusyboxImage(rt);
  const start = async (node: string, name: string, role: string, cmd: string[]) => {
    const labels = { [Label.node]: node, [Label.namespace]: "default", [Label.pod]: "p", [Label.uid]: "uid-p", [Label.container]: name, [Label.role]: role };
    const id = await rt.createContainer({ name: `${node}-${name}`, image: tag, labels, cmd, env: [], mounts: [], network: "none", ports: [] });
    await rt.startContainer(id);
  };
  await start(NODE, "POD", "sandbox", ["sleep", "3600"]);
  await start(NODE, "burn", "app", ["sh", "-c", "while :; do :; done"]);
  await start(OTHER, "main", "app", ["sleep", "3600"]);

  const sent: UsageReport[] = [];
  const sampler = new UsageSampler({ runtime: rt, nodeName: NODE, intervalMs: 200, log: createLogger("usage", { level: "error" }), send: async (r) => void sent.push(r) });
  assert.is(await sampler.sample(), undefined, "no rate before a second reading");
  const stop = new AbortController();
  const running = sampler.run(stop.signal);
  const report = await waitUntil(() => sent.find((r) => r.pods.length > 0), 30_000, "a report with the pod");
  stop.abort();
  await running;

  assert.equal(report.pods.map((p) => [p.namespace, p.name, p.uid, p.containers.map((c) => c.name)]), [["default", "p", "uid-p", ["burn"]]]);
  const burn = report.pods[0]!.containers[0]!;
  assert.ok(burn.cpuNanoCores > 0, `the burning container uses CPU (${burn.cpuNanoCores})`);
  assert.ok(burn.memoryBytes > 0);
  assert.ok(report.node.cpuNanoCores > 0 && report.node.memoryBytes > 0);
  assert.ok(report.windowSeconds > 0 && Number.isFinite(Date.parse(report.timestamp)));
});

test.run();
