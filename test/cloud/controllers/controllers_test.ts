import { KubeConfig } from "@kubernetes/client-node";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Controllers } from "../../../lib/cloud/controllers/index.ts";
import { BoundedQueue } from "../../../lib/core/index.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import type { Message } from "../../../lib/model/index.ts";
import { startTestApiServer } from "../../support/apiserver.ts";

test("Controllers is the controllers module of group controller", () => {
  const m = new Controllers({ kubeConfig: new KubeConfig(), log: silentLogger });
  assert.is(m.name, "controllers");
  assert.is(m.group, "controller");
});

test("Controllers.init() fails when the API cannot be listed", async () => {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "c", server: "https://127.0.0.1:1", skipTLSVerify: true }],
    users: [{ name: "u", token: "t" }],
    contexts: [{ name: "x", cluster: "c", user: "u" }],
    currentContext: "x",
  });
  const m = new Controllers({ kubeConfig: kc, log: silentLogger });
  await m.init().then(() => assert.unreachable("init should fail"), (e: Error) => assert.match(e.message, /^Cannot list \w+ objects/));
  await m.stop();
});

test("Controllers.start() runs until the signal aborts and stop() releases the caches", async () => {
  const server = await startTestApiServer();
  const kc = new KubeConfig();
  kc.loadFromFile(server.env.kubeconfig);
  const m = new Controllers({ kubeConfig: kc, log: silentLogger });
  await m.init();
  const abort = new AbortController();
  const inbox = new BoundedQueue<Message>(4);
  let returned = false;
  const running = m.start({ bus: undefined as never, log: silentLogger, signal: abort.signal, inbox }).then(() => (returned = true));
  await new Promise((r) => setTimeout(r, 100)); // a window: start() must not return before the abort
  assert.not.ok(returned);
  abort.abort();
  await running;
  await m.stop();
  await server.close();
});

test.run();
