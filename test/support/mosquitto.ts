/**
 * A real mosquitto for tests: its own temp config listening on 127.0.0.1 and a random free port, anonymous access,
 * started as a child process and stopped (or restarted on the same port) by the test.
 *
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Background, startBackground } from "./process.ts";

/** A running mosquitto. */
export type Mosquitto = {
  port: number;
  /** `tcp://127.0.0.1:<port>`, the form EventBus's `external.url` takes. */
  url: string;
  /** Stops the broker; `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its temp folder. */
  close(): Promise<void>;
};

/** The mosquitto binary (Debian's package). */
export const MOSQUITTO_BIN = process.env.MOSQUITTO_BIN ?? "/usr/sbin/mosquitto";

import { freePort } from "./process.ts";

export { freePort };

/** Options of {@link startMosquitto}. */
export type MosquittoOptions = {
  /**
   * `set_tcp_nodelay true`: without it mosquitto's Nagle delay meets the client's delayed ACK and a reply that
   * follows a PUBACK can wait up to 40 ms. @default true
   */
  tcpNoDelay?: boolean;
};

/** Starts mosquitto on a random port and waits until it accepts connections. */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), "mosquitto-"));
  // a test that dies before close() still leaves no folder (the process itself is killed by test/support/process.ts)
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once("exit", removeDir);
  const port = await freePort();
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, "allow_anonymous true", "persistence false", "log_dest stderr", "log_type error", "log_type warning", "log_type information", "max_queued_messages 100000", ...(options.tcpNoDelay === false ? [] : ["set_tcp_nodelay true"]), ""].join("\n"));
  let proc: Background | undefined;
  const start = async () => {
    proc = startBackground(MOSQUITTO_BIN, ["-c", conf]);
    await proc.waitFor(/version [\d.]+ running/, 10_000);
  };
  const stop = async () => {
    await proc?.kill("SIGTERM");
    proc = undefined;
  };
  await start();
  return {
    port,
    url: `tcp://127.0.0.1:${port}`,
    stop,
    start,
    async close() {
      await stop();
      removeDir();
      process.off("exit", removeDir);
    },
  };
}
