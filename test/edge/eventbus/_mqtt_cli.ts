/**
 * Devices played by Debian's real `mosquitto_pub` / `mosquitto_sub` processes.
 *
 * @module
 */
import { runToEnd, startBackground, waitUntil } from "../../support/process.ts";

/** One message a subscriber printed. */
export type Received = { topic: string; payload: string };

/** A running `mosquitto_sub`. */
export type Subscriber = {
  /** Messages so far, in arrival order. */
  messages(): Received[];
  /** Waits until at least `n` messages arrived (and returns them all). */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
};

const MARK = ">>MSG ";

/** Starts `mosquitto_sub` on `topics` (QoS 1) and resolves once the broker acknowledged the subscription. */
export async function subscribe(port: number, topics: string[]): Promise<Subscriber> {
  const args = ["-h", "127.0.0.1", "-p", String(port), "-q", "1", "-d", "-F", `${MARK}%t %p`];
  for (const t of topics) args.push("-t", t);
  // stdbuf: mosquitto_sub's stdio is block-buffered on a pipe, and we need each line as it comes
  const proc = startBackground("stdbuf", ["-oL", "mosquitto_sub", ...args]);
  await proc.waitFor(/received SUBACK/, 10_000);
  const messages = () => proc.output().split("\n").filter((l) => l.startsWith(MARK)).map((l) => {
    const rest = l.slice(MARK.length);
    const sp = rest.indexOf(" ");
    return { topic: rest.slice(0, sp), payload: rest.slice(sp + 1) };
  });
  return {
    messages,
    waitFor: (n, timeoutMs = 10_000) =>
      waitUntil(() => (messages().length >= n ? messages() : undefined), timeoutMs, `${n} MQTT messages on ${topics.join(", ")}`) as Promise<Received[]>,
    async close() {
      await proc.kill("SIGTERM");
    },
  };
}

/** Publishes one message with `mosquitto_pub` (QoS 1) and waits for it to finish. */
export async function publish(port: number, topic: string, payload: string): Promise<void> {
  const r = await runToEnd("mosquitto_pub", ["-h", "127.0.0.1", "-p", String(port), "-q", "1", "-t", topic, "-m", payload], { timeoutMs: 10_000 });
  if (r.code !== 0) throw new Error(`mosquitto_pub failed (${r.code}): ${r.stderr}`);
}
