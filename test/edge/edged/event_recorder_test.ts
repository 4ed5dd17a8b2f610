import { test } from "uvu";
import * as assert from "uvu/assert";
import { type EdgeEvent, EventRecorder, type EventRecorderOptions } from "../../../lib/edge/edged/event_recorder.ts";
import { OfflineOutbox } from "../../../lib/edge/edgehub/offline_outbox.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { buildResource, newMessage, Op, ResourceType } from "../../../lib/model/index.ts";

const pod = { kind: "Pod" as const, name: "web-1", namespace: "shop", uid: "u1", fieldPath: "spec.containers{app}" };
const node = { kind: "Node" as const, name: "edge-1", namespace: "default" };

function recorder(options: Partial<EventRecorderOptions> = {}) {
  let now = Date.parse("2026-12-06T10:00:00Z");
  const sent: EdgeEvent[] = [];
  const r = new EventRecorder({ send: async (e) => void sent.push(e), log: silentLogger, now: () => now, ...options });
  r.setOnline(true);
  return { r, sent, tick: (ms: number) => (now += ms) };
}

test("a repeat within 10 minutes is the same Event with count+1 and a new lastTimestamp", () => {
  const { r, sent, tick } = recorder();
  r.record(pod, "Warning", "BackOff", "Back-off restarting failed container app");
  tick(60_000);
  r.record(pod, "Warning", "BackOff", "Back-off restarting failed container app");
  assert.is(sent.length, 2);
  assert.is(sent[1].metadata.name, sent[0].metadata.name, "same series, same Event name");
  assert.is(sent[1].count, 2);
  assert.is(sent[1].firstTimestamp, sent[0].firstTimestamp);
  assert.is(sent[1].lastTimestamp, "2026-12-06T10:01:00.000Z");
  assert.ok(sent[0].metadata.name.startsWith("web-1."), "named after the object, as the cloud requires");
  assert.equal(sent[0].involvedObject, { apiVersion: "v1", ...pod });
});

test("another message, reason or object starts another series; so does a repeat after the window", () => {
  const { r, sent, tick } = recorder();
  r.record(pod, "Warning", "BackOff", "a");
  r.record(pod, "Warning", "BackOff", "b");
  r.record(pod, "Warning", "Failed", "a");
  r.record({ ...pod, fieldPath: "spec.containers{other}" }, "Warning", "BackOff", "a");
  tick(600_001);
  r.record(pod, "Warning", "BackOff", "a");
  assert.is(new Set(sent.map((e) => e.metadata.name)).size, 5);
  assert.ok(sent.every((e) => e.count === 1));
});

test("a series is sent at most once per interval; the held-back repeats go out with their count after it", () => {
  const { r, sent, tick } = recorder({ repeatEveryMs: 30_000 });
  for (let i = 0; i < 16; i++) {
    r.record(pod, "Warning", "Failed", "Error: ImagePullBackOff");
    tick(2000);
  }
  assert.equal(sent.map((e) => e.count), [1, 16], "sent at once, then the repeat after 30 s carries the count so far");
  r.record(pod, "Warning", "Failed", "Error: ImagePullBackOff");
  tick(30_000);
  r.flush();
  assert.equal(sent.map((e) => e.count), [1, 16, 17], "the last repeat is not lost when none follows");
  assert.is(new Set(sent.map((e) => e.metadata.name)).size, 1);
});

test("the node's token bucket holds back sends beyond the burst; held-back series go out later", () => {
  const { r, sent, tick } = recorder({ burst: 3, perMinute: 60 });
  for (let i = 0; i < 10; i++) r.record(node, "Normal", "NodeReady", `event ${i}`);
  assert.is(sent.length, 3);
  assert.is(r.stats.rateLimited, 7);
  tick(2000);
  r.flush();
  assert.is(sent.length, 5, "two tokens after two seconds");
  for (const _ of [1, 2]) {
    tick(60_000);
    r.flush();
  }
  assert.equal(sent.map((e) => e.message).sort(), Array.from({ length: 10 }, (_, i) => `event ${i}`).sort(), "every one sent in the end");
});

test("while offline only so many new series start; repeats of known ones still count; online again resets", () => {
  const { r, sent, tick } = recorder({ offlineSeries: 2 });
  r.record(pod, "Normal", "Pulling", "known");
  r.setOnline(false);
  for (let i = 0; i < 5; i++) r.record(pod, "Warning", "Unhealthy", `probe ${i}`);
  tick(30_000);
  r.record(pod, "Normal", "Pulling", "known");
  assert.is(r.stats.droppedOffline, 3);
  assert.equal(sent.map((e) => [e.reason, e.count]), [["Pulling", 1], ["Unhealthy", 1], ["Unhealthy", 1], ["Pulling", 2]]);
  r.setOnline(true);
  r.record(pod, "Warning", "Unhealthy", "probe 4");
  assert.is(sent.length, 5);
});

test("series are bounded: the least recent is forgotten, a long message is cut, a failing send is no throw", () => {
  const { r, sent } = recorder({ seriesLimit: 2, send: async () => Promise.reject(new Error("bus stopped")) });
  r.record(pod, "Normal", "Pulled", "a");
  r.record(pod, "Normal", "Pulled", "b");
  r.record(pod, "Normal", "Pulled", "c");
  assert.is(sent.length, 0);
  const kept = recorder({ seriesLimit: 2 });
  kept.r.record(pod, "Normal", "Pulled", "a");
  kept.r.record(pod, "Normal", "Pulled", "b");
  kept.r.record(pod, "Normal", "Pulled", "c");
  kept.r.record(pod, "Normal", "Pulled", "a");
  assert.is(kept.sent[3].count, 1, "the series of a was forgotten");
  kept.r.record(pod, "Normal", "Pulled", "x".repeat(5000));
  assert.is(kept.sent[4].message.length, 1024);
  assert.ok(kept.sent[4].message.endsWith("..."));
});

test("offline, EdgeHub's outbox keeps one report per series with its latest count, and no more series than allowed", async () => {
  const outbox = new OfflineOutbox(undefined, 1000);
  // the message edged hands to MetaManager, which passes it on to EdgeHub
  const { r, tick } = recorder({
    offlineSeries: 3,
    send: async (e) => void (await outbox.keep(newMessage({
      source: "edged", group: "meta", operation: Op.update, resource: buildResource(e.metadata.namespace, ResourceType.event, e.metadata.name), content: e,
    }))),
  });
  r.setOnline(false);
  for (let i = 0; i < 20; i++) r.record(pod, "Warning", "BackOff", "Back-off restarting failed container app");
  for (let i = 0; i < 10; i++) r.record(pod, "Warning", "Unhealthy", `Liveness probe failed: attempt ${i}`);
  tick(30_000);
  r.flush();
  const kept = outbox.list().map((m) => m.content as EdgeEvent);
  assert.equal(kept.map((e) => [e.reason, e.count]), [["Unhealthy", 1], ["Unhealthy", 1], ["BackOff", 20]]);
  assert.is(r.stats.droppedOffline, 8);
});

test.run();
