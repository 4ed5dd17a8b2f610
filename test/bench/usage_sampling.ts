/**
 * What one `kubectl top` reading costs an edge node: the time of one UsageSampler pass (read /proc, list this node's
 * containers, one-shot engine stats of each, at most 8 at a time by default) on the real Docker engine of the test setup, with
 * 0 and with 10 running busybox containers of the node. Wall time per pass is mostly waiting for the engine; the CPU
 * column is what the pass costs the edge process itself.
 *
 * Run: `node --import tsx test/bench/usage_sampling.ts [passes=20] [concurrency=8]`
 *
 * @module
 */
import { loadavg } from "node:os";
import { Label } from "../../lib/edge/edged/labels.ts";
import { DockerRuntime, ensureBusyboxImage } from "../../lib/edge/edged/runtime/index.ts";
import { UsageSampler } from "../../lib/edge/edged/usage_sampler.ts";
import { createLogger } from "../../lib/log/index.ts";
import { removeNodeContainers } from "../e2e/_engine.ts";
import { useTestDocker } from "../support/docker.ts";

const PASSES = Number(process.argv[2] ?? 20);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const NODE = `bench-usage-${process.pid}`;
const log = createLogger("usage", { level: "error" });

const engine = await useTestDocker();
const runtime = new DockerRuntime({ socketPath: engine.socketPath });

/** ms per pass over `PASSES` passes (after one priming pass), and the containers the last report held. */
async function measure(): Promise<{ ms: number[]; cpuMs: number; containers: number }> {
  const sampler = new UsageSampler({ runtime, nodeName: NODE, intervalMs: 0, concurrency: CONCURRENCY, log, send: async () => {} });
  await sampler.sample();
  const ms: number[] = [];
  let containers = 0;
  const cpu = process.cpuUsage();
  for (let i = 0; i < PASSES; i++) {
    const t = performance.now();
    const r = await sampler.sample();
    ms.push(performance.now() - t);
    containers = r?.pods.reduce((n, p) => n + p.containers.length, 0) ?? 0;
  }
  const used = process.cpuUsage(cpu);
  return { ms: ms.sort((a, b) => a - b), cpuMs: (used.user + used.system) / 1000 / PASSES, containers };
}

try {
  const { tag } = await ensureBusyboxImage(runtime);
  const rows: string[] = [];
  const row = (n: number, m: { ms: number[]; cpuMs: number; containers: number }) =>
    `| ${n} | ${m.containers} | ${m.ms[Math.floor(m.ms.length / 2)]!.toFixed(1)} | ${m.ms.at(-1)!.toFixed(1)} | ${m.cpuMs.toFixed(1)} |`;
  rows.push(row(0, await measure()));
  for (let i = 0; i < 10; i++) {
    const labels = { [Label.node]: NODE, [Label.namespace]: "default", [Label.pod]: `p${i}`, [Label.uid]: `uid-${i}`, [Label.container]: "main", [Label.role]: "app" };
    const id = await runtime.createContainer({ name: `${NODE}-${i}`, image: tag, labels, cmd: ["sleep", "3600"], env: [], mounts: [], network: "none", ports: [] });
    await runtime.startContainer(id);
  }
  rows.push(row(10, await measure()));
  console.log(`UsageSampler.sample() on Docker ${(await runtime.version()).version}, ${PASSES} passes each, concurrency ${CONCURRENCY}, Node ${process.version}, load ${loadavg()[0].toFixed(1)}`);
  console.log("| containers running | containers in report | median ms per pass | max ms | CPU ms per pass |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const r of rows) console.log(r);
} finally {
  await removeNodeContainers(engine.socketPath, NODE).catch(() => {});
  await runtime.close();
  await engine.release();
}
