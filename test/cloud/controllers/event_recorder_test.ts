import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEventRecorder } from "../../../lib/cloud/controllers/event_recorder.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.ts";
import { waitUntil } from "../../support/process.ts";

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

const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "web-1", namespace: "default", uid: "uid-1" } };

test("createEventRecorder() writes an Event kubectl shows and counts repeats", async () => {
  const record = createEventRecorder(kc, "default-scheduler", silentLogger);
  record(pod, "Warning", "FailedScheduling", "0/1 nodes are available: 1 node(s) were unschedulable.");
  record(pod, "Warning", "FailedScheduling", "0/1 nodes are available: 1 node(s) were unschedulable.");
  record(pod, "Normal", "Scheduled", "Successfully assigned default/web-1 to n1");
  const core = kc.makeApiClient(CoreV1Api);
  const events = await waitUntil(async () => {
    const items = (await core.listNamespacedEvent({ namespace: "default" })).items;
    return items.length === 2 && items.some((e) => e.count === 2) ? items : undefined;
  }, 5000, "two events, one counted twice", { intervalMs: 20 });
  const failed = events.find((e) => e.reason === "FailedScheduling")!;
  assert.equal(JSON.parse(JSON.stringify(failed.involvedObject)), { apiVersion: "v1", kind: "Pod", name: "web-1", namespace: "default", uid: "uid-1" });
  assert.is(failed.source?.component, "default-scheduler");
  assert.match(failed.metadata!.name!, /^web-1\.[0-9a-f]+$/);
  const out = await server.kubectl(["get", "events"]);
  assert.match(out.stdout, /Warning\s+FailedScheduling\s+pod\/web-1\s+0\/1 nodes are available/);
});

test("createEventRecorder() drops events beyond its backlog and counts them", async () => {
  let dropped = 0;
  const record = createEventRecorder(kc, "test", silentLogger, { concurrency: 1, backlogLimit: 2, onDrop: () => dropped++ });
  for (let i = 0; i < 10; i++) record({ ...pod, metadata: { ...pod.metadata, uid: `u${i}`, name: `p${i}` } }, "Normal", "Test", `event ${i}`);
  assert.is(dropped, 7);
});

test("createEventRecorder() drops its backlog and ignores events once its signal aborts", async () => {
  const stop = new AbortController();
  let dropped = 0;
  const record = createEventRecorder(kc, "stopping", silentLogger, { concurrency: 1, onDrop: () => dropped++, signal: stop.signal });
  const obj = (i: number) => ({ ...pod, metadata: { ...pod.metadata, uid: `s${i}`, name: `stop${i}` } });
  for (let i = 0; i < 5; i++) record(obj(i), "Normal", "Stop", "before");
  stop.abort();
  record(obj(9), "Normal", "Stop", "after");
  await new Promise((r) => setTimeout(r, 300)); // a window: nothing more may be written after the stop
  const core = kc.makeApiClient(CoreV1Api);
  const written = (await core.listNamespacedEvent({ namespace: "default", fieldSelector: "reason=Stop" })).items;
  assert.ok(written.length <= 1, `at most the one in flight was written, saw ${written.length}`);
  assert.is(dropped, 0);
});

test.run();
