import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ChangeEvent } from "../../../lib/cloud/apiserver/types.ts";
import { WatchHub } from "../../../lib/cloud/apiserver/watch_hub.ts";

function event(rv: number, gr = "pods"): ChangeEvent {
  const object = { kind: "Pod", metadata: { name: `p${rv}`, namespace: "default", resourceVersion: String(rv) } };
  return { type: "ADDED", gr, namespace: "default", rv, object, json: JSON.stringify(object) };
}

function collector(filter: (e: ChangeEvent) => boolean = () => true) {
  const got: number[] = [];
  return { got, sink: { accepts: filter, send: (e: ChangeEvent) => (got.push(e.rv), true) } };
}

test("WatchHub.subscribe() replays history after the requested version, then streams", () => {
  const hub = new WatchHub(10);
  for (let rv = 11; rv <= 15; rv++) hub.publish(event(rv));
  const c = collector();
  const sub = hub.subscribe(12, c.sink);
  assert.is.not(sub, "expired");
  hub.publish(event(16));
  assert.equal(c.got, [13, 14, 15, 16]);
});

test("WatchHub.subscribe() answers expired for versions older than the ring holds", () => {
  const hub = new WatchHub(0, { historySize: 3 });
  for (let rv = 1; rv <= 5; rv++) hub.publish(event(rv));
  assert.is(hub.oldestResourceVersion, 2);
  assert.is(hub.subscribe(1, collector().sink), "expired");
  const c = collector();
  hub.subscribe(2, c.sink);
  assert.equal(c.got, [3, 4, 5]);
});

test("WatchHub.subscribe() refuses versions from before a restart", () => {
  const hub = new WatchHub(100);
  assert.is(hub.subscribe(99, collector().sink), "expired");
  assert.is.not(hub.subscribe(100, collector().sink), "expired");
});

test("WatchHub.publish() skips events a watch already saw or does not want, and drops closed watches", () => {
  const hub = new WatchHub(0);
  const c = collector((e) => e.gr === "pods");
  hub.subscribe(5, c.sink);
  hub.publish(event(5));
  hub.publish(event(6, "configmaps"));
  hub.publish(event(7));
  assert.equal(c.got, [7]);
  let calls = 0;
  hub.subscribe(7, { accepts: () => true, send: () => (calls++, false) });
  hub.publish(event(8));
  hub.publish(event(9));
  assert.is(calls, 1);
  assert.is(hub.watchCount, 1);
});

test("WatchHub.subscribe() stop() ends delivery", () => {
  const hub = new WatchHub(0);
  const c = collector();
  const sub = hub.subscribe(0, c.sink);
  hub.publish(event(1));
  if (sub !== "expired") sub.stop();
  hub.publish(event(2));
  assert.equal(c.got, [1]);
  assert.is(hub.latestResourceVersion, 2);
});

test.run();
