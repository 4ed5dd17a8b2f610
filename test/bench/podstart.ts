/**
 * Pod start benchmark on a real dockerd (busybox image present): 20 pods handed to Edged at once, time from hand-over
 * to Running per pod (p50/p99), then an offline restart of Edged (bus stopped, a new Edged started from the stored
 * pods) and the time until every pod is reported Ready again with its containers adopted.
 *
 * Run: `node --import tsx test/bench/podstart.ts [pods] [concurrentSyncs]`
 *
 * @module
 */
import { loadavg } from "node:os";
import { IMAGE, makePod, startHarness } from "../integration/edged_harness.ts";
import { waitUntil } from "../support/process.ts";
import type { DockerRuntime } from "../../lib/edge/edged/runtime/index.ts";
import type { Pod, PodStatus } from "../../lib/edge/edged/index.ts";

const COUNT = Number(process.argv[2] ?? 20);
const CONCURRENCY = process.argv[3] ? Number(process.argv[3]) : undefined;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Per pod: sandbox create+start, then a joined container create+start, `concurrency` pods at a time. */
async function engineFloor(rt: DockerRuntime, count: number, concurrency: number): Promise<number[]> {
  const labels = { "kubeedge-ts.bench": `floor-${process.pid}` };
  const base = { image: IMAGE, labels, cmd: ["sleep", "3600"], env: [], mounts: [], ports: [] };
  const times: number[] = [];
  let next = 0;
  const t0 = performance.now();
  try {
    await Promise.all(Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const sb = await rt.createContainer({ ...base, name: `floor-sb-${process.pid}-${i}`, network: "bridge" });
        await rt.startContainer(sb);
        const app = await rt.createContainer({ ...base, name: `floor-app-${process.pid}-${i}`, network: `container:${sb}` });
        await rt.startContainer(app);
        times.push(performance.now() - t0);
      }
    }));
  } finally {
    await Promise.all((await rt.listContainers(labels)).map((c) => rt.removeContainer(c.id)));
  }
  return times.sort((a, b) => a - b);
}

const ready = (s: PodStatus | undefined) => s?.conditions.find((c) => c.type === "Ready")?.status === "True";

const h = await startHarness(CONCURRENCY ? { concurrentSyncs: CONCURRENCY } : {});
try {
  const pods: Pod[] = Array.from({ length: COUNT }, (_, i) => makePod(`bench-${i}`, {
    containers: [{ name: "main", image: IMAGE, imagePullPolicy: "IfNotPresent", command: ["sleep", "3600"] }],
  }));
  const running = new Map<string, number>();
  const t0 = performance.now();
  await Promise.all(pods.map((p) => h.put("pod", p)));
  await waitUntil(() => {
    for (const p of pods) {
      const name = p.metadata.name!;
      if (!running.has(name) && h.status("default", name)?.phase === "Running") running.set(name, performance.now() - t0);
    }
    return running.size === COUNT;
  }, 120_000, "all Running");
  const starts = [...running.values()].sort((a, b) => a - b);
  const ids = new Map(pods.map((p) => [p.metadata.name!, h.status("default", p.metadata.name!)!.containerStatuses[0].containerID]));

  h.meta.statuses.clear();
  const r0 = performance.now();
  await h.restart();
  await waitUntil(() => pods.every((p) => ready(h.status("default", p.metadata.name!))), 120_000, "all Ready after restart");
  const restartMs = performance.now() - r0;
  const adopted = pods.filter((p) => h.status("default", p.metadata.name!)!.containerStatuses[0].containerID === ids.get(p.metadata.name!)).length;

  const floor = await engineFloor(h.runtime, COUNT, CONCURRENCY ?? 8);
  const docker = await h.runtime.version();
  console.log(`pods: ${COUNT}, concurrentSyncs: ${CONCURRENCY ?? "default"}, engine: docker ${docker.version}, node ${process.version}`);
  console.log(`given -> Running: p50 ${pct(starts, 50).toFixed(0)} ms, p99 ${pct(starts, 99).toFixed(0)} ms, max ${starts[starts.length - 1].toFixed(0)} ms`);
  console.log(`offline restart -> all Ready: ${restartMs.toFixed(0)} ms, containers adopted: ${adopted}/${COUNT}`);
  console.log(`engine alone, same containers: p50 ${pct(floor, 50).toFixed(0)} ms, p99 ${pct(floor, 99).toFixed(0)} ms; load average ${loadavg()[0].toFixed(1)}`);
} finally {
  await h.close();
}
