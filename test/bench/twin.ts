/**
 * Twin update benchmark: updates/s through the broker with durable storage (fsync per group commit) and the
 * update -> result latency, for the internal broker and for mosquitto (external mode), beside mosquitto's plain
 * pub/sub round trip measured in the same run with the same clients. The devices run in a separate process
 * (test/bench/_twin_load.ts); DeviceTwin, EventBus and the store run here, with a sink standing in for EdgeHub
 * (connected, so every update is also reported to the cloud side).
 *
 * Each round measures, closed loop (one update in flight per device): raw mosquitto, twin/internal, twin/mosquitto;
 * then open loop at `--rate` updates/s: twin/internal, twin/mosquitto. Medians over rounds are printed last.
 *
 * Run: node --import tsx test/bench/twin.ts [--rounds 3] [--clients 8] [--devicesPerClient 8] [--rate 5000]
 *      [--durationMs 5000]
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import mqtt from "mqtt";
import { Bus, type Module, type ModuleContext } from "../../lib/core/index.ts";
import { DeviceTwin } from "../../lib/edge/devicetwin/index.ts";
import { EventBus, type EventBusOptions } from "../../lib/edge/eventbus/index.ts";
import { InternalBroker } from "../../lib/edge/eventbus/internal_broker.ts";
import { silentLogger } from "../../lib/log/index.ts";
import { newMessage } from "../../lib/model/index.ts";
import { openStore } from "../../lib/store/index.ts";
import { type Mosquitto, startMosquitto } from "../support/mosquitto.ts";
import { runToEnd, tsArgs, waitUntil } from "../support/process.ts";

const { values: a } = parseArgs({
  options: {
    rounds: { type: "string", default: process.env.BENCH_ROUNDS ?? "3" },
    clients: { type: "string", default: "8" },
    devicesPerClient: { type: "string", default: "8" },
    rate: { type: "string", default: "5000" },
    durationMs: { type: "string", default: "5000" },
    warmupMs: { type: "string", default: "1000" },
  },
});
const clients = Number(a.clients), perClient = Number(a.devicesPerClient);

type LoadResult = { count: number; seconds: number; rate: number; p50Ms: number; p99Ms: number; errors: number; loadCpu: number };

async function load(port: number, mode: "twin" | "raw", rate = 0): Promise<LoadResult> {
  const [cmd, args] = tsArgs("test/bench/_twin_load.ts", "--port", String(port), "--mode", mode, "--clients", String(clients),
    "--devicesPerClient", String(perClient), "--rate", String(rate), "--durationMs", a.durationMs!, "--warmupMs", a.warmupMs!);
  const r = await runToEnd(cmd, args, { timeoutMs: 120_000 });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  if (r.code !== 0 || !line.startsWith("{")) throw new Error(`load generator failed (${r.code}): ${r.stderr}${r.stdout}`);
  return JSON.parse(line) as LoadResult;
}

/** Stands in for EdgeHub: takes every report and drops it. */
class Sink implements Module {
  readonly name = "edgehub";
  readonly group = "hub";
  received = 0;
  async start(ctx: ModuleContext): Promise<void> {
    for await (const _ of ctx.inbox) this.received++;
  }
}

type Run = LoadResult & { edgeCpu: number };

/** Waits until twin requests on the broker at `port` are answered (the external link connects and subscribes first). */
async function untilAnswering(port: number): Promise<void> {
  const client = await mqtt.connectAsync({ host: "127.0.0.1", port, protocol: "mqtt", clientId: `bench-probe-${process.pid}` });
  try {
    let answered = false;
    client.on("message", () => (answered = true));
    await client.subscribeAsync("$hw/events/device/probe/twin/get/result", { qos: 1 });
    // each check asks again: the edge answers only once its link has subscribed
    await waitUntil(async () => {
      await client.publishAsync("$hw/events/device/probe/twin/get", "{}", { qos: 1 });
      return answered;
    }, 30_000, `an answer from the edge on port ${port}`, { intervalMs: 100 });
  } finally {
    await client.endAsync();
  }
}

async function twinRun(eventBus: EventBusOptions, port: (eb: EventBus) => number, rate = 0): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "twin-bench-"));
  const store = await openStore(join(dir, "edge.db"), { log: silentLogger });
  const bus = new Bus({ log: silentLogger });
  const eb = new EventBus({ log: silentLogger, ...eventBus });
  bus.register(new DeviceTwin({ store, nodeName: "bench", log: silentLogger }));
  bus.register(eb);
  bus.register(new Sink());
  await bus.start();
  try {
    await bus.send("devicetwin", newMessage({ source: "edgehub", group: "hub", operation: "connected", resource: "node", content: null }));
    const added = [];
    for (let c = 0; c < clients; c++) {
      for (let i = 0; i < perClient; i++) {
        added.push({ id: `dev-${c}-${i}`, name: `dev-${c}-${i}`, twin: { temperature: { expected: { value: "" }, optional: false, metadata: { type: "float" }, expected_version: { cloud: 1, edge: 0 } } } });
      }
    }
    await bus.send("devicetwin", newMessage({ source: "devicecontroller", group: "twin", operation: "update", resource: "membership", content: { event_id: "", timestamp: 0, added_devices: added, removed_devices: [] } }));
    await untilAnswering(port(eb));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await load(port(eb), "twin", rate).catch((err: Error) => {
      throw new Error(`${err.message} (eventbus ${JSON.stringify(eb.stats)})`);
    });
    const cpu = process.cpuUsage(cpu0);
    return { ...r, edgeCpu: (cpu.user + cpu.system) / 1e6 / ((performance.now() - t0) / 1000) };
  } finally {
    await bus.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (r: LoadResult) => `${Math.round(r.rate)}/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms`;
const cpuNote = (r: Run) => `(CPU: edge ${r.edgeCpu.toFixed(2)}, devices ${r.loadCpu.toFixed(2)}${r.errors ? `, ${r.errors} errors` : ""})`;
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

const internal = (): EventBusOptions => ({ mode: "internal", internal: { host: "127.0.0.1", port: 0 } });
const external = (mq: Mosquitto): EventBusOptions => ({ mode: "external", external: { url: mq.url } });

console.log(`twin benchmark: ${clients} clients x ${perClient} devices, durable store (fsync on), ${a.durationMs} ms per measurement, ${a.rounds} rounds`);
console.log(`machine: ${cpus().length} CPUs (${cpus()[0]?.model}), node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
const results: Record<string, Run[]> = {};
const keep = (name: string, r: Run) => (results[name] ??= []).push(r);
const mq = await startMosquitto();
try {
  for (let round = 1; round <= Number(a.rounds); round++) {
    const raw = { ...(await load(mq.port, "raw")), edgeCpu: 0 };
    keep("raw", raw);
    const ti = await twinRun(internal(), (eb) => eb.internalPort!);
    keep("internal", ti);
    const te = await twinRun(external(mq), () => mq.port);
    keep("external", te);
    const oi = await twinRun(internal(), (eb) => eb.internalPort!, Number(a.rate));
    keep("internal@rate", oi);
    const oe = await twinRun(external(mq), () => mq.port, Number(a.rate));
    keep("external@rate", oe);
    console.log(`round ${round} (load ${loadavg()[0]!.toFixed(1)}): raw mosquitto ${fmt(raw)} | internal ${fmt(ti)} ${cpuNote(ti)} | mosquitto ${fmt(te)} ${cpuNote(te)}`);
    console.log(`  open loop at ${a.rate}/s: internal ${fmt(oi)} ${cpuNote(oi)} | mosquitto ${fmt(oe)} ${cpuNote(oe)}`);
  }
} finally {
  await mq.close();
}
// The design choice for internal mode: EventBus subscribes in-process; the alternative is a loopback MQTT client.
const aedes = await InternalBroker.listen({ host: "127.0.0.1", port: 0, qos: 0, log: silentLogger });
try {
  const loop = await twinRun({ mode: "external", external: { url: `tcp://127.0.0.1:${aedes.port}` }, externalQos: 0 }, () => aedes.port);
  console.log(`internal broker through a loopback MQTT client instead of in-process, closed loop: ${fmt(loop)} ${cpuNote(loop)}`);
} finally {
  await aedes.close();
}
const plain = await startMosquitto({ tcpNoDelay: false });
try {
  const d = await twinRun(external(plain), () => plain.port);
  console.log(`mosquitto with its default config (no set_tcp_nodelay), closed loop: ${fmt(d)}`);
} finally {
  await plain.close();
}
console.log("medians:");
const rawRate = median(results.raw!.map((r) => r.rate));
for (const [name, runs] of Object.entries(results)) {
  const rate = median(runs.map((r) => r.rate));
  const share = name === "raw" ? "" : `, ${Math.round((rate / rawRate) * 100)}% of raw`;
  console.log(`  ${name.padEnd(14)} ${Math.round(rate)}/s, p50 ${median(runs.map((r) => r.p50Ms)).toFixed(1)} ms, p99 ${median(runs.map((r) => r.p99Ms)).toFixed(1)} ms${share}`);
}
