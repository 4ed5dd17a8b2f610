import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, request } from "undici";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServiceBusProxy, type ProxyHandler } from "../../lib/cloud/servicebus/index.ts";
import { ServiceBus } from "../../lib/edge/servicebus/index.ts";
import { makePki, nodeCerts, startCloud, startEdge } from "../fixtures/link_env.ts";
import { waitUntil } from "../support/process.ts";

const TOKEN = "s3cret-token-for-tests";
const dir = mkdtempSync(join(tmpdir(), "link-sb-"));
const pki = await makePki(dir);

const app = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    if (req.url === "/bin") return res.writeHead(200, { "content-type": "application/octet-stream" }).end(Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
    if (req.url === "/slow") return;
    res.writeHead(201, { "content-type": "application/json", "x-app": "yes" }).end(JSON.stringify({
      method: req.method, url: req.url, body: Buffer.concat(chunks).toString(), custom: req.headers["x-custom"], auth: req.headers.authorization ?? null,
    }));
  });
});
await new Promise<void>((r) => app.listen(0, "127.0.0.1", r));
const appPort = (app.address() as AddressInfo).port;
const closed = createServer();
await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
const closedPort = (closed.address() as AddressInfo).port;
await new Promise((r) => closed.close(r));

let proxy: ProxyHandler | undefined;
const cloud = await startCloud(pki, [], { httpHandler: (req, res) => proxy!(req, res) });
proxy = createServiceBusProxy({ bus: cloud.bus, token: TOKEN, timeoutMs: 5000 });
const edge = await startEdge({
  node: "edge-1", port: cloud.port, certs: await nodeCerts(pki, dir, "edge-1"), dir,
  modules: [new ServiceBus({ requestTimeoutMs: 500, allowedPorts: [appPort, closedPort] })],
});
await waitUntil(() => cloud.hub.connectedNodes().includes("edge-1"), 10_000, "edge linked");
const agent = new Agent({ connect: { ca: pki.caCert } });

function call(path: string, init: { method?: string; body?: string; headers?: Record<string, string>; token?: string | null } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? TOKEN}`;
  return request(`https://127.0.0.1:${cloud.port}${path}`, { dispatcher: agent, method: (init.method ?? "GET") as "GET", body: init.body, headers });
}

test("createServiceBusProxy() calls an app on the edge by node name and relays its answer", async () => {
  const res = await call(`/proxy/edge-1/${appPort}/echo?x=1`, { method: "POST", body: "hello edge", headers: { "x-custom": "c1" } });
  assert.is(res.statusCode, 201);
  assert.is(res.headers["x-app"], "yes");
  assert.equal(await res.body.json(), { method: "POST", url: "/echo?x=1", body: "hello edge", custom: "c1", auth: null });
});

test("createServiceBusProxy() relays a binary body byte for byte", async () => {
  const res = await call(`/proxy/edge-1/${appPort}/bin`);
  const bytes = Buffer.from(await res.body.arrayBuffer());
  assert.is(res.statusCode, 200);
  assert.equal([...bytes], Array.from({ length: 256 }, (_, i) => i));
});

test("createServiceBusProxy() answers 401 without the right bearer token", async () => {
  assert.is((await call(`/proxy/edge-1/${appPort}/echo`, { token: null })).statusCode, 401);
  assert.is((await call(`/proxy/edge-1/${appPort}/echo`, { token: "wrong" })).statusCode, 401);
});

test("createServiceBusProxy() answers 502 when the app is down, 504 when it does not answer", async () => {
  const down = await call(`/proxy/edge-1/${closedPort}/x`);
  assert.is(down.statusCode, 502);
  assert.match(await down.body.text(), /ECONNREFUSED/);
  const slow = await call(`/proxy/edge-1/${appPort}/slow`);
  assert.is(slow.statusCode, 504);
  await slow.body.dump();
});

test("createServiceBusProxy() answers 502 for a port the edge does not allow and 503 for a node that is not linked", async () => {
  const refused = await call(`/proxy/edge-1/1/x`);
  assert.is(refused.statusCode, 502);
  assert.match(await refused.body.text(), /not in servicebus allowedPorts/);
  const offline = await call(`/proxy/edge-9/${appPort}/echo`);
  assert.is(offline.statusCode, 503);
  await offline.body.dump();
  const other = await call("/elsewhere");
  assert.is(other.statusCode, 404);
  await other.body.dump();
});

test.after(async () => {
  await agent.close();
  await edge.stop();
  await cloud.stop();
  app.closeAllConnections();
  await new Promise((r) => app.close(r));
  rmSync(dir, { recursive: true, force: true });
});
test.run();
