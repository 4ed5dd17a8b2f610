import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer, type Server } from "node:http";
import { KubeConfig } from "@kubernetes/client-node";
import { DeviceController } from "../../../lib/cloud/devicecontroller/index.ts";
import { Bus } from "../../../lib/core/index.ts";
import { createLogger } from "../../../lib/log/index.ts";
import { waitUntil } from "../../support/process.ts";

// A cluster without the Device CRDs answers 404 to every list of devices.kubeedge.io: DeviceController must retry
// with a growing wait (not several times a second) and say once what to do.

let server: Server;
let url: string;
const requests: number[] = [];

test.before(async () => {
  server = createServer((req, res) => {
    requests.push(Date.now());
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message: "the server could not find the requested resource", reason: "NotFound", code: 404 }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

test.after(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

test("DeviceController backs off on missing CRDs and logs one line saying how to install them", async () => {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "c", server: url, skipTLSVerify: true }],
    users: [{ name: "u" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
  const lines: string[] = [];
  const log = createLogger("devicecontroller", { level: "warn", write: (l) => lines.push(l) });
  const bus = new Bus({ log });
  const dc = new DeviceController({ kubeConfig: kc, log, retryMs: 100, retryMaxMs: 400 });
  bus.register(dc);
  await bus.start();
  const started = Date.now();
  try {
    // 100, 200, 400, 400, ... ms (each waited in [half, whole]): about 8 lists in 2 s; without backoff and with the
    // old restart-per-failed-watch leak it was far more
    await waitUntil(() => Date.now() - started > 2000, 3000, "2 s of retries");
    const lists = requests.filter((t) => t >= started).length;
    assert.ok(lists >= 3, `expected retries to go on, saw ${lists} lists`);
    assert.ok(lists <= 14, `expected backoff (at most ~10 lists in 2 s), saw ${lists}`);
    const gaps = requests.slice(-3).map((t, i, a) => (i ? t - a[i - 1] : 0)).slice(1);
    assert.ok(gaps.every((g) => g >= 190), `expected the capped wait (>= 200 ms) between late retries, saw ${gaps.join(",")} ms`);
    assert.is(lines.length, 1, `expected one warning line, got:\n${lines.join("\n")}`);
    assert.match(lines[0], /WARN/);
    assert.match(lines[0], /install the CRDs: kubectl apply -f conf\/crds\//);
    assert.not.ok(dc.synced);
  } finally {
    await bus.stop();
  }
});

test.run();
