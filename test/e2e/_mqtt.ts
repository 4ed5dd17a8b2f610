/**
 * The MQTT side of a device, with Debian's mosquitto clients as a user would poke the edge's broker:
 * `mosquitto_sub` kept running to collect what the edge publishes, and `mosquitto_pub` for one message.
 *
 * @module
 */
import { type Background, startBackground, waitUntil } from "../support/process.ts";
import { runToEnd } from "../support/process.ts";

/** One message `mosquitto_sub -v` printed (only `$hw/` topics are parsed: `-d` interleaves its own lines). */
export type Received = { topic: string; payload: string; json(): any };

/** A running subscriber. */
export type Subscriber = {
  /** Every message received so far, oldest first. */
  messages(): Received[];
  /** Waits for a message on `topic` (exact) whose parsed payload passes `match`; the first one already received counts. */
  waitFor(topic: string, match: (body: any) => boolean, timeoutMs: number, what: string): Promise<Received>;
  output(): string;
  close(): Promise<void>;
};

const SUBSCRIBED_TIMEOUT_MS = 10_000;
const PUB_TIMEOUT_MS = 10_000;
const PROBE_WAIT_MS = 500;

/**
 * Subscribes to `topics` (QoS 1) on 127.0.0.1:`port` and resolves once the subscription works: mosquitto_sub prints
 * nothing when it subscribes (its `-d` lines are block-buffered into a pipe), so a probe message is published to a
 * private topic until it comes back.
 */
export async function subscribe(port: number, topics: string[]): Promise<Subscriber> {
  const probe = `$hw/e2e/probe/${process.pid}/${Date.now()}`;
  const args = ["-h", "127.0.0.1", "-p", String(port), "-q", "1", "-v", "-i", `e2e-sub-${process.pid}-${Date.now()}`];
  for (const t of [...topics, probe]) args.push("-t", t);
  const proc: Background = startBackground("mosquitto_sub", args);
  const messages = (): Received[] => proc.output().split("\n")
    .filter((l) => l.startsWith("$hw/"))
    .map((l) => {
      const i = l.indexOf(" ");
      const topic = l.slice(0, i);
      const payload = l.slice(i + 1);
      return { topic, payload, json: () => JSON.parse(payload) };
    });
  try {
    await waitUntil(async () => {
      if (proc.child.exitCode !== null) throw new Error(`mosquitto_sub exited ${proc.child.exitCode}: ${proc.output().trim()}`);
      await publish(port, probe, "{}");
      const seen = () => messages().some((m) => m.topic === probe);
      return await waitUntil(seen, PROBE_WAIT_MS).catch(() => false);
    }, SUBSCRIBED_TIMEOUT_MS, `mosquitto_sub on port ${port} to receive its probe message`);
  } catch (e) {
    await proc.kill("SIGKILL");
    throw e;
  }
  return {
    messages,
    output: () => proc.output(),
    async waitFor(topic, match, timeoutMs, what) {
      return (await waitUntil(() => messages().find((m) => {
        if (m.topic !== topic) return false;
        try {
          return match(m.json());
        } catch {
          return false;
        }
      }), timeoutMs, what))!;
    },
    async close() {
      await proc.kill("SIGTERM");
    },
  };
}

/** Publishes one message (QoS 1) to 127.0.0.1:`port`. */
export async function publish(port: number, topic: string, payload: unknown): Promise<void> {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const r = await runToEnd("mosquitto_pub", ["-h", "127.0.0.1", "-p", String(port), "-q", "1", "-t", topic, "-m", body], { timeoutMs: PUB_TIMEOUT_MS });
  if (r.code !== 0) throw new Error(`Cannot publish to "${topic}": mosquitto_pub exit ${r.code}: ${r.stderr.trim()}`);
}
