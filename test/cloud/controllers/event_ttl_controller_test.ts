import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createKubeApis } from "../../../lib/cloud/controllers/_kube_apis.ts";
import { EventTtlController } from "../../../lib/cloud/controllers/event_ttl_controller.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.ts";

let server: TestApiServer;
let kc: KubeConfig;

test.before(async () => {
  server = await startTestApiServer();
  kc = new KubeConfig();
  kc.loadFromFile(server.env.kubeconfig);
});

test.after(async () => {
  await server?.close();
});

test("EventTtlController.sweep() deletes Events last seen more than the TTL ago and keeps newer ones", async () => {
  const core = kc.makeApiClient(CoreV1Api);
  const now = Date.now();
  const at = (agoMs: number) => new Date(now - agoMs).toISOString().replace(/\.\d+Z$/, "Z") as unknown as Date;
  const make = (name: string, agoMs: number) => core.createNamespacedEvent({
    namespace: "default",
    body: { metadata: { name }, involvedObject: { kind: "Node", name: "n1" }, reason: "R", message: "m", firstTimestamp: at(agoMs), lastTimestamp: at(agoMs), count: 1 },
  });
  for (let i = 0; i < 3; i++) await make(`old-${i}`, 2 * 3_600_000);
  await make("fresh", 60_000);
  const ttl = new EventTtlController({ apis: createKubeApis(kc), log: silentLogger });
  assert.is(await ttl.sweep(now), 3);
  const left = (await core.listNamespacedEvent({ namespace: "default" })).items.map((e) => e.metadata?.name);
  assert.equal(left, ["fresh"]);
});

test.run();
