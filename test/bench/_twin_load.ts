/**
 * The device side of the twin benchmark, run as its own process: `clients` MQTT connections, each owning
 * `devicesPerClient` devices. Closed loop (default): one request in flight per device, the next sent when the answer
 * comes. Open loop (`--rate N`): N requests per second in total, spread over the devices, whatever the answers do.
 * In `twin` mode a request is a twin update and its answer the `.../twin/update/result` (matched by event_id); in
 * `raw` mode a request is a publish to the client's own topic and its answer the broker delivering it back: the
 * broker's plain round trip, for comparison.
 * Prints one JSON line: {count, seconds, rate, p50Ms, p99Ms, errors, loadCpu} (loadCpu: CPU seconds per second used
 * by this process).
 *
 * @module
 */
import { parseArgs } from "node:util";
import mqtt, { type MqttClient } from "mqtt";

const { values: a } = parseArgs({
  options: {
    port: { type: "string" },
    mode: { type: "string", default: "twin" },
    clients: { type: "string", default: "8" },
    devicesPerClient: { type: "string", default: "8" },
    rate: { type: "string", default: "0" },
    warmupMs: { type: "string", default: "1000" },
    durationMs: { type: "string", default: "5000" },
  },
});
const port = Number(a.port);
const raw = a.mode === "raw";
const clients = Number(a.clients);
const perClient = Number(a.devicesPerClient);
const openRate = Number(a.rate);
const warmupMs = Number(a.warmupMs);
const durationMs = Number(a.durationMs);

const latencies: number[] = [];
const sentAt = new Map<string, number>();
let errors = 0;
let measuring = false;
let stopped = false;
let seq = 0;

type Device = { id: string; client: MqttClient };

function request(d: Device): void {
  if (stopped) return;
  const id = `${d.id}.${seq++}`;
  sentAt.set(id, performance.now());
  if (raw) d.client.publish(`bench/raw/${d.id}`, id, { qos: 1 });
  else {
    const body = `{"event_id":"${id}","timestamp":${Date.now()},"twin":{"temperature":{"actual":{"value":"${(20 + (seq % 100) / 10).toFixed(1)}"},"metadata":{"type":"float"}}}}`;
    d.client.publish(`$hw/events/device/${d.id}/twin/update`, body, { qos: 1 });
  }
}

async function connect(c: number): Promise<Device[]> {
  const client = await mqtt.connectAsync({ host: "127.0.0.1", port, protocol: "mqtt", clientId: `bench-${process.pid}-${c}`, clean: true });
  // like libmosquitto-based devices: no Nagle delay on small packets
  (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  const devices = Array.from({ length: perClient }, (_, i): Device => ({ id: `dev-${c}-${i}`, client }));
  const byId = new Map(devices.map((d) => [d.id, d]));
  client.on("message", (topic, payload) => {
    const text = payload.toString();
    // answers carry the request id: the raw payload itself, or the result's leading event_id
    const id = raw ? text : text.slice(13, text.indexOf('"', 13));
    const t = sentAt.get(id);
    if (t === undefined) return;
    sentAt.delete(id);
    if (!raw && text.includes('"code"')) errors++;
    if (measuring) latencies.push(performance.now() - t);
    if (!openRate) request(byId.get(raw ? topic.slice("bench/raw/".length) : topic.split("/")[3])!);
  });
  await client.subscribeAsync(devices.map((d) => (raw ? `bench/raw/${d.id}` : `$hw/events/device/${d.id}/twin/update/result`)), { qos: 1 });
  return devices;
}

const devices = (await Promise.all(Array.from({ length: clients }, (_, c) => connect(c)))).flat();
let ticker: ReturnType<typeof setInterval> | undefined;
if (openRate) {
  // owed grows with elapsed time, so a late timer sends the backlog instead of lowering the rate
  let last = performance.now();
  let owed = 0;
  let next = 0;
  ticker = setInterval(() => {
    const now = performance.now();
    owed += ((now - last) * openRate) / 1000;
    last = now;
    for (; owed >= 1; owed--) request(devices[next++ % devices.length]!);
  }, 5);
} else for (const d of devices) request(d);

await new Promise((r) => setTimeout(r, warmupMs));
measuring = true;
const started = performance.now();
const cpu0 = process.cpuUsage();
await new Promise((r) => setTimeout(r, durationMs));
measuring = false;
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpu0);
stopped = true;
clearInterval(ticker);
const sorted = latencies.sort((x, y) => x - y);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const loadCpu = (cpu.user + cpu.system) / 1e6 / seconds;
console.log(JSON.stringify({ count: sorted.length, seconds, rate: sorted.length / seconds, p50Ms: pct(50), p99Ms: pct(99), errors, loadCpu }));
await Promise.all([...new Set(devices.map((d) => d.client))].map((c) => c.endAsync()));
process.exit(0);
