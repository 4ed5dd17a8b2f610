/**
 * The attacker of preauth_flood_test.ts, in its own process so its event loop does not slow the nodes under test:
 * holds `--count` idle TCP connections to `--port` (never sending a byte) and re-opens each one as soon as the server
 * drops it, without backoff. stdout: {"event":"stats","opened","dropped","held"} every 500 ms.
 *
 * @module
 */
import { connect, type Socket } from "node:net";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { port: { type: "string" }, count: { type: "string" } } });
const port = Number(values.port);
const sockets = new Set<Socket>();
let opened = 0;
let dropped = 0;

function open(): void {
  const s = connect(port, "127.0.0.1");
  sockets.add(s);
  s.on("connect", () => opened++);
  s.on("error", () => {});
  s.on("close", () => {
    sockets.delete(s);
    dropped++;
    setImmediate(open);
  });
}

for (let i = 0; i < Number(values.count); i++) open();
setInterval(() => {
  let held = 0;
  for (const s of sockets) if (!s.connecting) held++;
  process.stdout.write(JSON.stringify({ event: "stats", opened, dropped, held }) + "\n");
}, 500);
process.on("SIGTERM", () => process.exit(0));
