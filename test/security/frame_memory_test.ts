/**
 * Big frames from many certified links against a real cloud_core process: eight hostile nodes each send several
 * frames just under `cloudHub.maxFrameBytes` as fast as the cloud reads them. cloud_core must stay up, read every
 * frame (the frame budget makes links wait, it does not drop them), keep a well-behaved node linked and Ready, and
 * its resident memory must stay under the bound SECURITY.md states, during the attack and after it.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { encodeMessage, newMessage } from "../../lib/model/index.ts";
import { ensureCloudPki, issueNodeCertificate, writeNodeCertificate } from "../../lib/pki/index.ts";
import { freePort, waitUntil } from "../support/process.ts";
import { goodNode, NodeLink, readyOf, startTestCloud, type TestCloud } from "./_hostile.ts";

const MiB = 1024 * 1024;
/** Caps scaled down from the defaults (32 MiB frames, 256 MiB in flight) so the run fits in its time box. */
const MAX_FRAME = 8 * MiB, INFLIGHT = 32 * MiB, PER_LINK = 16 * MiB;
const LINKS = 8, FRAMES = 4;
/** The frame each hostile node sends: a node status whose content is one string, just under the frame cap. */
const FRAME_BYTES = MAX_FRAME - 256 * 1024;
/** Per-link overhead in the stated bound (socket, TLS and ws buffers, one read chunk). */
const PER_LINK_MiB = 1;
/**
 * Copies a message's bytes pass through before the garbage collector takes them back: TLS records, the decrypted
 * socket chunks, the joined frame, the decoded text, the parsed value.
 */
const COPIES = 5;
/** SECURITY.md's bound: base + COPIES x (maxInflightBytes + maxFrameBytes, the one being decoded) + overhead x links. */
const boundMiB = (base: number) => base + (COPIES * (INFLIGHT + MAX_FRAME)) / MiB + PER_LINK_MiB * (LINKS + 1);

let cloud: TestCloud;
let metricsPort = 0;
const run = `${process.pid}`;
const GOOD = `fm-good-${run}`;
const EVIL = Array.from({ length: LINKS }, (_, i) => `fm-evil-${i}-${run}`);

async function metric(name: string, node?: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const sel = node ? `${name}{node="${node}"}` : name;
  const line = text.split("\n").find((l) => l.startsWith(`${sel} `));
  return line ? Number(line.slice(sel.length + 1)) : NaN;
}

test.before(async () => {
  metricsPort = await freePort();
  cloud = await startTestCloud("framemem", [`metrics: {address: "127.0.0.1:${metricsPort}"}`],
    `maxFrameBytes: ${MAX_FRAME}, maxInflightBytes: ${INFLIGHT}, maxInflightBytesPerLink: ${PER_LINK}`);
});

test.after(async () => {
  await cloud?.stop();
});

test(`${LINKS} links x ${FRAMES} frames of ${(FRAME_BYTES / MiB).toFixed(2)} MiB: cloud_core reads them all within its memory bound, other node unaffected`, async () => {
  const good = await goodNode(cloud, GOOD);
  const links: NodeLink[] = [];
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, cloud.rssMiB())), 50);
  try {
    // issued here from the cloud's CA, where TestCloud.certs looks first: one `cloud_core cert` process per node is slow
    const pki = join(cloud.dir, "cloud/pki");
    const ca = await ensureCloudPki({ ca: join(pki, "ca.crt"), caKey: join(pki, "ca.key"), cert: join(pki, "server.crt"), key: join(pki, "server.key") });
    for (const n of EVIL) await writeNodeCertificate(join(cloud.dir, `certs-${n}`), await issueNodeCertificate(ca, n));
    await waitUntil(async () => (await readyOf(cloud, GOOD)) === "True", 20_000, `${GOOD} Ready`);
    const before = cloud.rssMiB();
    const bound = boundMiB(before);
    for (const n of EVIL) links.push(await NodeLink.open(cloud, n));
    // one shared payload: the attacker's own memory stays small
    const probe = encodeMessage(newMessage({ source: "edged", group: "resource", operation: "update", resource: "default/nodestatus/x", content: "" }));
    const frame = Buffer.from(encodeMessage(newMessage({
      source: "edged", group: "resource", operation: "update", resource: "default/nodestatus/x", content: "a".repeat(FRAME_BYTES - probe.length),
    })));
    assert.ok(frame.length <= MAX_FRAME && frame.length > FRAME_BYTES - 1024, `frame is ${frame.length} bytes`);
    const started = Date.now();
    await Promise.all(links.map(async (l) => {
      // all at once, as an attacker would: the cloud decides how fast it reads
      for (let i = 0; i < FRAMES; i++) l.sendRaw(frame);
      await waitUntil(() => l.closed || l.ws.bufferedAmount === 0, 90_000, `${l.node}: ${FRAMES} frames written`, { intervalMs: 20 });
    }));
    const tookS = (Date.now() - started) / 1000;
    for (const l of links) assert.not.ok(l.closed, `${l.node}'s link stayed up (waiting is not refusal)`);
    for (const n of EVIL) {
      await waitUntil(async () => (await metric("kubeedge_cloud_link_messages_received_total", n)) >= FRAMES, 20_000, `${n}: ${FRAMES} frames received`);
    }
    const waits = await metric("kubeedge_cloud_frame_budget_waits_total");
    const budgetPeak = await metric("kubeedge_cloud_frame_budget_peak_bytes");
    process.stdout.write(
      `frame memory: ${LINKS * FRAMES} frames of ${(frame.length / MiB).toFixed(1)} MiB in ${tookS.toFixed(1)} s; ` +
        `rss before ${before.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB, bound ${bound.toFixed(0)} MiB; ` +
        `budget peak ${(budgetPeak / MiB).toFixed(0)} MiB, ${waits} waits\n`,
    );
    assert.ok(cloud.alive(), `cloud_core is running; output:\n${cloud.proc.output().slice(-3000)}`);
    assert.not.match(cloud.proc.output(), /uncaught exception|unhandled promise rejection|callback failed, contained/, "no failure reached containment");
    assert.ok(waits > 0, "links had to wait: the budget was what bounded memory");
    assert.ok(budgetPeak <= INFLIGHT, `budget peak ${budgetPeak} <= ${INFLIGHT}`);
    assert.ok(peak <= bound, `peak RSS ${peak.toFixed(0)} MiB <= ${bound.toFixed(0)} MiB`);
    await waitUntil(async () => (await readyOf(cloud, GOOD)) === "True", 20_000, `${GOOD} still Ready`);
    assert.not.ok(good.link.closed, "the good node's link stayed up");
    await Promise.all(links.map((l) => l.close()));
    await waitUntil(async () => (await metric("kubeedge_cloud_frame_budget_bytes")) === 0, 20_000, "budget given back");
    const after = await waitUntil(() => {
      const r = cloud.rssMiB();
      return r <= bound ? r : undefined;
    }, 30_000, `cloud_core RSS back under ${bound.toFixed(0)} MiB`);
    process.stdout.write(`frame memory: rss after ${after!.toFixed(0)} MiB\n`);
  } finally {
    clearInterval(sampler);
    await Promise.all(links.map((l) => l.close()));
    await good.stop();
  }
});

test.run();
