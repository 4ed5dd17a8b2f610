/**
 * The Event flood of a certified node against a real cloud_core: 3,000 Events with 60 KiB messages about the node
 * itself. What is stored is bounded by the per-node rate (burst plus the sustained rate over the run), each message
 * is cut to 1 KiB, and the store grows by a small fraction of what was sent. Another node stays Ready.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EVENT_LIMITS } from "../../lib/cloud/edgecontroller/handlers/event.ts";
import { waitUntil } from "../support/process.ts";
import { goodNode, goodStatus, NodeLink, readyOf, startTestCloud, type TestCloud } from "./_hostile.ts";

const EVENTS = 3000;
const MESSAGE_CHARS = 60 * 1024;
/** The store may grow by at most this while the flood is refused. @default 16 MiB */
const STORE_GROWTH_BOUND = 16 * 1024 * 1024;

let cloud: TestCloud;
const run = `${process.pid}`;
const GOOD = `fl-good-${run}`, EVIL = `fl-evil-${run}`;

test.before(async () => {
  cloud = await startTestCloud("flood");
});

test.after(async () => {
  await cloud?.stop();
});

test(`${EVENTS} Events of 60 KiB from one node: stored count bounded by its rate, messages cut, store growth bounded`, async () => {
  const good = await goodNode(cloud, GOOD);
  const evil = await NodeLink.open(cloud, EVIL);
  try {
    evil.send("update", `default/nodestatus/${EVIL}`, goodStatus(EVIL));
    await waitUntil(async () => (await readyOf(cloud, EVIL)) === "True", 20_000, `${EVIL} Ready`);
    const storeBefore = cloud.storeBytes();
    const started = Date.now();
    const message = "A".repeat(MESSAGE_CHARS);
    for (let i = 0; i < EVENTS; i++) {
      evil.send("insert", `default/event/flood-${i}`, { involvedObject: { kind: "Node", name: EVIL }, reason: "Flood", message, type: "Warning" });
      if (evil.ws.bufferedAmount > 8 * 1024 * 1024) await waitUntil(() => evil.closed || evil.ws.bufferedAmount < 2 * 1024 * 1024, 60_000, "send buffer drained");
      if (i % 200 === 0) evil.keepalive();
    }
    // the flood is handled once the rate-limit refusals stop growing: wait for the last message's outcome
    evil.send("insert", "default/event/last", { involvedObject: { kind: "Pod", name: "nope" }, reason: "Marker" });
    await waitUntil(() => /may not record events about pod "default\/nope"/.test(cloud.proc.output()) || evil.closed, 120_000, "marker handled");
    const tookMin = (Date.now() - started) / 60_000;
    const stored = (await cloud.core.listNamespacedEvent({ namespace: "default" })).items.filter((e) => e.source?.host === EVIL && e.reason === "Flood");
    const allowed = EVENT_LIMITS.burst + Math.ceil(EVENT_LIMITS.perMinute * tookMin) + 1;
    const growth = cloud.storeBytes() - storeBefore;
    process.stdout.write(`flood: ${EVENTS} events sent in ${(tookMin * 60).toFixed(1)} s, ${stored.length} stored (allowed ${allowed}), store grew ${(growth / 1048576).toFixed(1)} MiB\n`);
    assert.ok(stored.length > 0 && stored.length <= allowed, `${stored.length} events stored, at most ${allowed} allowed`);
    assert.ok(stored.every((e) => (e.message ?? "").length <= EVENT_LIMITS.messageChars), "messages cut to 1 KiB");
    assert.ok(growth < STORE_GROWTH_BOUND, `store grew ${growth} bytes`);
    assert.ok(cloud.alive(), "cloud_core is running");
    await waitUntil(async () => (await readyOf(cloud, GOOD)) === "True", 10_000, `${GOOD} still Ready`);
    assert.not.ok(good.link.closed, "the good node's link stayed up");
  } finally {
    await evil.close();
    await good.stop();
  }
});

test.run();
