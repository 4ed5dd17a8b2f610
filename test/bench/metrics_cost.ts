/**
 * What metrics cost an edge node: edge_core (with its cloud_core, embedded API, no container engine so only the
 * link, store, bus and MQTT run) measured with `metrics.enable` on and off, side by side in one run. For each:
 * resident memory after start-up and at the end, and CPU seconds used over the window, with `/metrics` scraped
 * every `scrapeMs` when on (Prometheus scrapes every 15-60 s; 1 s is a harsh upper bound).
 *
 * Run: `node --import tsx test/bench/metrics_cost.ts [windowSeconds=30] [scrapeMs=1000]`
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { createCluster } from "../e2e/_cluster.ts";
import { waitUntil } from "../support/process.ts";

const WINDOW_S = Number(process.argv[2] ?? 30);
const SCRAPE_MS = Number(process.argv[3] ?? 1000);
const TICK = 100; // USER_HZ on Linux

function usage(pid: number): { rssMiB: number; cpuS: number } {
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return { rssMiB: rss, cpuS: (Number(f[11]) + Number(f[12])) / TICK };
}

async function measure(enable: boolean): Promise<string> {
  const c = await createCluster({ dockerSocket: "/nonexistent/docker.sock", nodeName: `bench-metrics-${enable ? "on" : "off"}` });
  try {
    if (!enable) {
      const edgeYaml = join(c.dir, "edge.yaml");
      writeFileSync(edgeYaml, readFileSync(edgeYaml, "utf8").replace(/metrics:\n/, "metrics:\n  enable: false\n"));
    }
    await c.startCloud();
    await c.issueCert();
    await c.startEdge();
    const pid = c.edge()!.child.pid!;
    await waitUntil(() => /connected to cloud/.test(c.edge()!.output()), 30_000, "edge linked");
    const start = usage(pid);
    let scrapes = 0;
    const end = Date.now() + WINDOW_S * 1000;
    while (Date.now() < end) {
      if (enable) {
        await (await fetch(`http://127.0.0.1:${c.ports.edgeMetrics}/metrics`)).text();
        scrapes++;
      }
      await new Promise((r) => setTimeout(r, SCRAPE_MS));
    }
    const last = usage(pid);
    return `| metrics ${enable ? "on " : "off"} | ${start.rssMiB.toFixed(1)} | ${last.rssMiB.toFixed(1)} | ${(last.cpuS - start.cpuS).toFixed(2)} | ${scrapes} |`;
  } finally {
    await c.close(false);
  }
}

const rows = [await measure(false), await measure(true)];
console.log(`edge_core (tsx, Node ${process.version}), ${WINDOW_S} s window, scrape every ${SCRAPE_MS} ms, load ${loadavg()[0].toFixed(1)}`);
console.log("| edge_core | RSS after start (MiB) | RSS at end (MiB) | CPU in window (s) | scrapes |");
console.log("| --- | --- | --- | --- | --- |");
for (const r of rows) console.log(r);
