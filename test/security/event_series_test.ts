/**
 * A node's repeated Event against a real cloud_core (embedded API): the same name again with a higher count updates
 * count and lastTimestamp of the Event it made, a resend with a lower count changes nothing, and a node cannot bump
 * an Event someone else made about it.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { waitUntil } from "../support/process.ts";
import { goodStatus, NodeLink, readyOf, startTestCloud, type TestCloud } from "./_hostile.ts";

let cloud: TestCloud;
let link: NodeLink;
const NODE = `es-${process.pid}`;

test.before(async () => {
  cloud = await startTestCloud("series");
  link = await NodeLink.open(cloud, NODE);
  link.send("update", `default/nodestatus/${NODE}`, goodStatus(NODE));
  await waitUntil(async () => (await readyOf(cloud, NODE)) === "True", 20_000, `${NODE} Ready`);
});

test.after(async () => {
  await link?.close();
  await cloud?.stop();
});

const report = (name: string, count: number, lastTimestamp: string) => ({
  metadata: { name, namespace: "default" },
  involvedObject: { kind: "Node", name: NODE, uid: NODE },
  type: "Warning", reason: "NodeNotReady", message: "container runtime is down", count,
  firstTimestamp: "2026-12-06T10:00:00Z", lastTimestamp,
});

async function countOf(name: string): Promise<number | undefined> {
  return (await cloud.core.readNamespacedEvent({ name, namespace: "default" }).catch(() => undefined))?.count;
}

test("a repeat updates count and lastTimestamp of the node's Event; an older resend changes nothing", async () => {
  const name = `${NODE}.series1`;
  link.send("update", `default/event/${name}`, report(name, 1, "2026-12-06T10:00:00Z"));
  await waitUntil(async () => (await countOf(name)) === 1, 10_000, "event created");
  link.send("update", `default/event/${name}`, report(name, 4, "2026-12-06T10:05:00Z"));
  await waitUntil(async () => (await countOf(name)) === 4, 10_000, "count updated");
  link.send("update", `default/event/${name}`, report(name, 2, "2026-12-06T10:01:00Z"));
  const other = `${NODE}.marker`;
  link.send("update", `default/event/${other}`, report(other, 1, "2026-12-06T10:06:00Z"));
  await waitUntil(async () => (await countOf(other)) === 1, 10_000, "marker handled after the resend");
  const ev = await cloud.core.readNamespacedEvent({ name, namespace: "default" });
  assert.is(ev.count, 4, "the late resend did not lower the count");
  assert.is(new Date(ev.lastTimestamp as unknown as string).toISOString(), "2026-12-06T10:05:00.000Z");
  assert.is(ev.source?.host, NODE);
  const all = (await cloud.core.listNamespacedEvent({ namespace: "default", fieldSelector: `involvedObject.name=${NODE},reason=NodeNotReady` })).items;
  assert.is(all.length, 2, "one Event per series");
});

test("a node cannot bump the count of an Event another component made about it", async () => {
  const name = `${NODE}.controller`;
  await cloud.core.createNamespacedEvent({
    namespace: "default",
    body: {
      metadata: { name, namespace: "default" }, involvedObject: { kind: "Node", name: NODE, uid: NODE }, reason: "NodeNotReady",
      message: "from the node controller", type: "Normal", count: 1, source: { component: "node-controller" },
    },
  });
  link.send("update", `default/event/${name}`, report(name, 99, "2026-12-06T10:09:00Z"));
  await waitUntil(() => new RegExp(`refused: forbidden.*may not update event .{0,2}default/${name}`).test(cloud.proc.output()), 10_000, "refusal logged");
  assert.is(await countOf(name), 1);
  assert.ok(cloud.alive());
});

test.run();
