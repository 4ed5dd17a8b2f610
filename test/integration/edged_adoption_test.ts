/**
 * A restarted Edged (also with no cloud: pods come from the stored set only) adopts running containers, removes those
 * of pods it should no longer run, and recreates what is missing.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Harness, IMAGE, makePod, startHarness } from "./edged_harness.ts";
import { waitUntil } from "../support/process.ts";
import type { PodStatus } from "../../lib/edge/edged/index.ts";

let h: Harness;

test.before(async () => {
  h = await startHarness();
});

test.after(async () => {
  await h?.close();
});

const img = { image: IMAGE, imagePullPolicy: "IfNotPresent" as const };
const ready = (s: PodStatus | undefined) => s?.conditions.find((c) => c.type === "Ready")?.status === "True";

test("a restarted Edged keeps the same containers running with unchanged restart counts", async () => {
  const flaky = makePod("flaky", {
    containers: [{
      name: "main", ...img,
      command: ["sh", "-c", "if [ ! -f /data/once ]; then touch /data/once; exit 1; fi; exec sleep 3600"],
      volumeMounts: [{ name: "data", mountPath: "/data" }],
    }],
    volumes: [{ name: "data", emptyDir: {} }],
  });
  const steady = makePod("steady", {
    containers: [
      { name: "a", ...img, command: ["sleep", "3600"] },
      { name: "b", ...img, command: ["sleep", "3600"] },
    ],
  });
  const gone = makePod("gone", { containers: [{ name: "main", ...img, command: ["sleep", "3600"] }] });
  for (const p of [flaky, steady, gone]) await h.put("pod", p);
  // "flaky" is Ready while its first run is still on the way to its exit 1 (on a loaded machine that can take a
  // while): the state to adopt is the one after that failure, restarted once and running again.
  const flakyRestarted = () => {
    const s = h.status("default", "flaky");
    return ready(s) && s!.containerStatuses[0].restartCount === 1 && s!.containerStatuses[0].state.running !== undefined;
  };
  await waitUntil(() => flakyRestarted() && ready(h.status("default", "steady")) && ready(h.status("default", "gone")), 30_000, "all ready, flaky restarted once");
  const before = {
    flaky: h.status("default", "flaky")!.containerStatuses.map((c) => [c.containerID, c.restartCount]),
    steady: h.status("default", "steady")!.containerStatuses.map((c) => [c.containerID, c.restartCount]),
  };
  assert.is(before.flaky[0][1], 1);
  const sandboxes = (await h.runtime.listContainers({ "kubeedge-ts.node": h.nodeName, "kubeedge-ts.container.role": "sandbox" })).map((c) => c.id).sort();

  // while Edged is down: "gone" leaves the store, and one container of "steady" disappears
  await h.bus.stop();
  h.meta.objects.delete("default/pod/gone");
  const b = await h.runtime.listContainers({ "kubeedge-ts.pod.uid": steady.metadata.uid!, "kubeedge-ts.container.name": "b" });
  await h.runtime.removeContainer(b[0].id);
  h.meta.statuses.clear();
  await h.restart();

  const after = await waitUntil(() => {
    const f = h.status("default", "flaky"), s = h.status("default", "steady");
    return ready(f) && ready(s) && { f: f!, s: s! };
  }, 15_000, "statuses after restart");
  assert.equal(after.f.containerStatuses.map((c) => [c.containerID, c.restartCount]), before.flaky, "flaky adopted as is");
  assert.equal(after.s.containerStatuses[0].containerID, before.steady[0][0], "steady/a adopted");
  assert.is.not(after.s.containerStatuses[1].containerID, before.steady[1][0], "steady/b recreated");
  await waitUntil(async () => (await h.runtime.listContainers({ "kubeedge-ts.pod.uid": gone.metadata.uid! })).length === 0, 15_000, "gone removed");
  const sandboxesAfter = (await h.runtime.listContainers({ "kubeedge-ts.node": h.nodeName, "kubeedge-ts.container.role": "sandbox" })).map((c) => c.id).sort();
  assert.equal(sandboxesAfter, sandboxes.filter((id) => sandboxesAfter.includes(id)));
  assert.is(sandboxesAfter.length, 2, "the sandboxes of kept pods are the same containers");
});

test("a pod whose sandbox died gets a new sandbox, runs its init containers again and restarts its containers in it", async () => {
  const pod = makePod("resandbox", {
    initContainers: [{ name: "setup", ...img, command: ["true"] }],
    containers: [{ name: "main", ...img, command: ["sleep", "3600"] }],
  });
  await h.put("pod", pod);
  await waitUntil(() => ready(h.status("default", "resandbox")), 15_000, "running");
  const first = h.status("default", "resandbox")!;
  const [sb] = await h.runtime.listContainers({ "kubeedge-ts.pod.uid": pod.metadata.uid!, "kubeedge-ts.container.role": "sandbox" });
  await h.runtime.stopContainer(sb.id, 0);
  const next = await waitUntil(() => {
    const s = h.status("default", "resandbox");
    return ready(s) && s!.containerStatuses[0].containerID !== first.containerStatuses[0].containerID && s;
  }, 15_000, "new sandbox");
  assert.is(next.containerStatuses[0].restartCount, 1);
  assert.is(next.initContainerStatuses?.[0].restartCount, 1);
  assert.is(next.initContainerStatuses?.[0].state.terminated?.reason, "Completed");
  assert.ok(next.podIP);
});

test.run();
