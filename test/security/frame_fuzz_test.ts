/**
 * Bounded fuzzing of node messages against a real cloud_core: for each message kind (nodestatus, podstatus, twin,
 * event) at least 1,000 generated malformed frames (a wrong type in a random field, a removed field, deep nesting,
 * huge strings), plus truncated JSON, sent over links that reconnect every few hundred frames. Deterministic seed.
 * cloud_core must not crash, the good node's link and Ready status must be unaffected, and cloud_core's resident
 * memory must come back under a stated bound.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { encodeMessage, newMessage } from "../../lib/model/index.ts";
import { waitUntil } from "../support/process.ts";
import { goodNode, goodStatus, NodeLink, readyOf, startTestCloud, type TestCloud } from "./_hostile.ts";

/** Seed of the generator: a failure names it, and the same seed gives the same frames. */
const SEED = 14;
/** Frames per message kind. */
const PER_KIND = 1000;
/** Frames per link before it is closed and opened again. */
const PER_LINK = 250;
/** Resident memory cloud_core must be back under after the run. @default 400 MiB */
const RSS_BOUND_MIB = 400;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(SEED);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

function deep(n: number): unknown {
  let v: unknown = "bottom";
  for (let i = 0; i < n; i++) v = rand() < 0.5 ? [v] : { d: v };
  return v;
}

/** A value of a wrong or hostile kind. */
function hostileValue(): unknown {
  return pick<() => unknown>([
    () => "x", () => "", () => 42, () => -1, () => 1e308, () => 0.5, () => true, () => null, () => [], () => {}, () => ["x", 1, null],
    () => ({ conditions: "x" }), () => "x".repeat(1 + Math.floor(rand() * 300_000)), () => deep(50 + Math.floor(rand() * 2000)),
    () => "2024-13-45T99:99:99Z", () => "\u0000\uffff\ud800", () => ({ __proto__: { polluted: true } }), () => Array.from({ length: 5000 }, (_, i) => i),
  ])();
}

/** Every path to a value inside `v`. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (v && typeof v === "object") {
    for (const [k, child] of Object.entries(v)) {
      const p = [...at, Array.isArray(v) ? Number(k) : k];
      out.push(p);
      paths(child, p, out);
    }
  }
  return out;
}

/** The template with one field replaced by a hostile value, removed, or the whole content replaced. */
function mutate(template: unknown): unknown {
  const copy = structuredClone(template) as Record<string | number, unknown>;
  const all = paths(copy);
  if (!all.length || rand() < 0.05) return hostileValue();
  const path = pick(all);
  let parent: Record<string | number, unknown> = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (rand() < 0.15 && !Array.isArray(parent)) delete parent[last];
  else parent[last] = hostileValue();
  return copy;
}

let cloud: TestCloud;
const run = `${process.pid}`;
const GOOD = `fz-good-${run}`, EVIL = `fz-evil-${run}`;

test.before(async () => {
  cloud = await startTestCloud("fuzz");
});

test.after(async () => {
  await cloud?.stop();
});

test(`${PER_KIND} malformed frames per message kind over reconnecting links: 0 crashes, other node unaffected, memory bounded`, async () => {
  const good = await goodNode(cloud, GOOD);
  try {
    let link = await NodeLink.open(cloud, EVIL);
    link.send("update", `default/nodestatus/${EVIL}`, goodStatus(EVIL));
    await waitUntil(async () => (await readyOf(cloud, GOOD)) === "True" && (await readyOf(cloud, EVIL)) === "True", 20_000, "both nodes Ready");
    await cloud.core.createNamespacedPod({ namespace: "default", body: { metadata: { name: `fz-pod-${run}` }, spec: { nodeName: EVIL, containers: [{ name: "c", image: "busybox" }] } } });
    const rssBefore = cloud.rssMiB();
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const kinds = {
      nodestatus: { op: "update", resource: `default/nodestatus/${EVIL}`, group: "resource", template: goodStatus(EVIL) },
      podstatus: {
        op: "update", resource: `default/podstatus/fz-pod-${run}`, group: "resource",
        template: { UID: "", Name: `fz-pod-${run}`, Status: { phase: "Running", startTime: now, conditions: [{ type: "Ready", status: "True", lastTransitionTime: now }], containerStatuses: [{ name: "c", ready: true, restartCount: 0, image: "busybox", imageID: "docker://x", state: { running: { startedAt: now } }, lastState: {} }] } },
      },
      twin: { op: "update", resource: "device/fz-dev/twin/edge_updated", group: "twin", template: { event_id: "e", timestamp: 1, twin: { temp: { actual: { value: "1", metadata: { timestamp: 1 } }, metadata: { type: "int" } } } } },
      event: { op: "insert", resource: "default/event/fz", group: "resource", template: { involvedObject: { kind: "Node", name: EVIL }, reason: "R", message: "m", type: "Normal", count: 1, firstTimestamp: now, lastTimestamp: now } },
    } as const;
    const counts: Record<string, number> = { truncated: 0, reconnects: 0 };
    let sent = 0;
    const started = Date.now();
    const deadline = started + 90_000;
    for (let i = 0; i < PER_KIND && Date.now() < deadline; i++) {
      for (const [kind, k] of Object.entries(kinds)) {
        if (link.closed || sent % PER_LINK === PER_LINK - 1) {
          await link.close();
          link = await NodeLink.open(cloud, EVIL);
          counts.reconnects++;
        }
        const frame = encodeMessage(newMessage({ source: "edged", group: k.group, operation: k.op, resource: k.resource, content: mutate(k.template) }));
        link.sendRaw(frame);
        counts[kind] = (counts[kind] ?? 0) + 1;
        sent++;
        if (rand() < 0.1) {
          link.sendRaw(frame.slice(0, Math.floor(rand() * frame.length)));
          counts.truncated++;
        }
        // keep the socket's send buffer small: the cloud pushes back, the fuzzer waits
        if (link.ws.bufferedAmount > 4 * 1024 * 1024) await waitUntil(() => link.closed || link.ws.bufferedAmount < 1024 * 1024, 30_000, "send buffer drained");
      }
      if (i % 50 === 0) link.keepalive();
    }
    const tookS = (Date.now() - started) / 1000;
    await link.close();
    process.stdout.write(`fuzz seed ${SEED}: ${JSON.stringify(counts)} in ${tookS.toFixed(1)} s; rss before ${rssBefore.toFixed(0)} MiB, right after ${cloud.rssMiB().toFixed(0)} MiB\n`);
    for (const kind of Object.keys(kinds)) assert.ok(counts[kind]! >= PER_KIND, `${kind}: ${counts[kind]} frames sent (time box hit?)`);
    assert.ok(cloud.alive(), `cloud_core is running; output:\n${cloud.proc.output().slice(-3000)}`);
    assert.not.match(cloud.proc.output(), /uncaught exception|unhandled promise rejection|callback failed, contained/, "no failure reached containment");
    await waitUntil(async () => (await readyOf(cloud, GOOD)) === "True", 20_000, `${GOOD} still Ready`);
    assert.not.ok(good.link.closed, "the good node's link stayed up");
    const rss = await waitUntil(() => {
      const r = cloud.rssMiB();
      return r < RSS_BOUND_MIB ? r : undefined;
    }, 30_000, `cloud_core RSS under ${RSS_BOUND_MIB} MiB`);
    process.stdout.write(`fuzz: cloud_core RSS ${rss!.toFixed(0)} MiB after the run (bound ${RSS_BOUND_MIB} MiB)\n`);
  } finally {
    await good.stop();
  }
});

test.run();
