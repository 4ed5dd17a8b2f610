import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Bus } from "../../../lib/core/index.ts";
import { ServiceBus } from "../../../lib/edge/servicebus/index.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { decodeBody, type Message, newMessage, type ServiceResponse } from "../../../lib/model/index.ts";
import { Recorder } from "../../fixtures/link_env.ts";
import { waitUntil } from "../../support/process.ts";

const app = createServer((req, res) => {
  if (req.url === "/png") return res.writeHead(200, { "content-type": "image/png", connection: "keep-alive" }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff]));
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end(`${req.method} ${req.url} ${body} host=${req.headers.host}`));
});
await new Promise<void>((r) => app.listen(0, "127.0.0.1", r));
const port = (app.address() as AddressInfo).port;

async function env(options: ConstructorParameters<typeof ServiceBus>[0] = {}) {
  const bus = new Bus({ log: silentLogger });
  const edgehub = new Recorder("edgehub");
  bus.register(new ServiceBus({ log: silentLogger, ...options }));
  bus.register(edgehub);
  await bus.start();
  return { bus, edgehub };
}

const request = (content: unknown, operation = "request") =>
  newMessage({ source: "servicebus", group: "servicebus", operation, resource: `servicebus/${port}`, content, sync: true });

async function ask(e: Awaited<ReturnType<typeof env>>, msg: Message): Promise<Message> {
  await e.bus.send("servicebus", msg);
  await waitUntil(() => e.edgehub.messages.find((m) => m.header.parent_msg_id === msg.header.msg_id), 5000, "reply");
  return e.edgehub.messages.find((m) => m.header.parent_msg_id === msg.header.msg_id)!;
}

test("ServiceBus performs the request on 127.0.0.1 and replies with the app's answer", async () => {
  const e = await env();
  const reply = await ask(e, request({ method: "PUT", port, path: "/a?b=1", headers: { host: "evil.example" }, body: "hi", bodyEncoding: "utf8" }));
  assert.is(reply.route.operation, "response");
  const res = reply.content as ServiceResponse;
  assert.is(res.status, 200);
  assert.is(res.body, `PUT /a?b=1 hi host=127.0.0.1:${port}`, "host is the app's, not the caller's");
  await e.bus.stop();
});

test("ServiceBus carries a binary answer as base64 and drops hop-by-hop headers", async () => {
  const e = await env();
  const res = (await ask(e, request({ method: "GET", port, path: "/png", headers: {}, body: "", bodyEncoding: "utf8" }))).content as ServiceResponse;
  assert.is(res.bodyEncoding, "base64");
  assert.equal([...decodeBody(res.body, res.bodyEncoding)], [0x89, 0x50, 0x4e, 0x47, 0xff]);
  assert.is(res.headers.connection, undefined);
  assert.is(res.headers["content-type"], "image/png");
  await e.bus.stop();
});

test("ServiceBus refuses a bad request, a port not allowed and an unknown operation with error replies", async () => {
  const e = await env({ allowedPorts: [port] });
  const bad = await ask(e, request({ method: "get", port, path: "/" }));
  assert.equal([bad.route.operation, bad.content], ["error", 'Cannot read service request: bad method "get"']);
  const other = await ask(e, request({ method: "GET", port: port + 1, path: "/", headers: {}, body: "", bodyEncoding: "utf8" }));
  assert.match(other.content as string, /not in servicebus allowedPorts/);
  const unknown = await ask(e, request({}, "frobnicate"));
  assert.is(unknown.route.operation, "error");
  await e.bus.stop();
});

test.after(() => new Promise<void>((r) => app.close(() => r())));
test.run();
