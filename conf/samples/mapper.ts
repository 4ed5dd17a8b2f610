/**
 * A small KubeEdge-style mapper for the `counter` sample device (conf/samples/device-counter.yaml). It speaks only
 * MQTT, like KubeEdge's mappers: it asks for its twin, follows the expected `status` (ON counts, OFF stops) and
 * reports actual values of `status` and `count` on `$hw/events/device/<id>/twin/update`.
 *
 * Run it next to edge_core (internal broker on 1884, or mosquitto on 1883):
 *   node --import tsx conf/samples/mapper.ts --broker tcp://127.0.0.1:1884 --device counter
 * Then set `status.twins[0].desired.value: "ON"` on the Device and watch `count` appear in its reported twins.
 *
 * @module
 */
import { parseArgs } from "node:util";
import mqtt from "mqtt";

const { values: args } = parseArgs({
  options: {
    broker: { type: "string", default: "tcp://127.0.0.1:1884" },
    device: { type: "string", default: "counter" },
    interval: { type: "string", default: "1000" },
  },
});

const url = /^(?:tcp|mqtt):\/\/([^:/]+):(\d+)\/?$/.exec(args.broker!);
if (!url) {
  console.error(`mapper: cannot parse --broker "${args.broker}": expected tcp://host:port`);
  process.exit(2);
}
const id = args.device!;
const intervalMs = Number(args.interval);
const topic = (suffix: string) => `$hw/events/device/${id}${suffix}`;
const stamp = () => ({ event_id: crypto.randomUUID(), timestamp: Date.now() });

const client = mqtt.connect({ host: url[1], port: Number(url[2]), protocol: "mqtt", clientId: `mapper-${id}-${process.pid}`, reconnectPeriod: 1000 });
let counting = false;
let count = 0;

function report(twin: Record<string, { value: string; type: string }>): void {
  const body: Record<string, unknown> = {};
  for (const [name, t] of Object.entries(twin)) body[name] = { actual: { value: t.value }, metadata: { type: t.type } };
  client.publish(topic("/twin/update"), JSON.stringify({ ...stamp(), twin: body }), { qos: 1 });
}

function applyStatus(value: string): void {
  counting = value === "ON";
  report({ status: { value, type: "string" } });
  console.log(`mapper: status=${value}`);
}

client.on("connect", () => {
  client.subscribe([topic("/twin/update/delta"), topic("/twin/get/result"), topic("/twin/update/result")], { qos: 1 }, () => {
    client.publish(topic("/state/update"), JSON.stringify({ ...stamp(), state: "online" }), { qos: 1 });
    client.publish(topic("/twin/get"), JSON.stringify(stamp()), { qos: 1 });
    console.log(`mapper: connected to ${args.broker} as device ${id}`);
  });
});

client.on("message", (t, payload) => {
  let msg: { code?: number; reason?: string; twin?: Record<string, { expected?: { value?: string } }>; delta?: Record<string, string> };
  try {
    msg = JSON.parse(payload.toString());
  } catch {
    return;
  }
  if (msg.code) console.log(`mapper: edge answered ${msg.code}: ${msg.reason}`);
  else if (t.endsWith("/twin/update/delta") && msg.delta?.status !== undefined) applyStatus(msg.delta.status);
  else if (t.endsWith("/twin/get/result") && msg.twin?.status?.expected?.value) applyStatus(msg.twin.status.expected.value);
});
client.on("error", (err) => console.error(`mapper: ${err.message}`));

const ticker = setInterval(() => {
  if (!counting || !client.connected) return;
  count++;
  report({ count: { value: String(count), type: "int" } });
  console.log(`mapper: count=${count}`);
}, intervalMs);

function shutdown(): void {
  clearInterval(ticker);
  client.publish(topic("/state/update"), JSON.stringify({ ...stamp(), state: "offline" }), { qos: 1 }, () => client.end(false, {}, () => process.exit(0)));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
