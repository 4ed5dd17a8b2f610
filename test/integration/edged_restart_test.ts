/**
 * Restart policies, back-off and probes on a real dockerd (back-off base 300 ms so the test is quick).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Harness, IMAGE, makePod, startHarness } from "./edged_harness.ts";
import { waitUntil } from "../support/process.ts";

let h: Harness;

test.before(async () => {
  h = await startHarness();
});

test.after(async () => {
  await h?.close();
});

const img = { image: IMAGE, imagePullPolicy: "IfNotPresent" as const };

test("a container that exits 1 under restartPolicy Always goes into CrashLoopBackOff with growing restarts", async () => {
  await h.put("pod", makePod("crasher", { containers: [{ name: "main", ...img, command: ["sh", "-c", "echo crash; exit 1"] }] }));
  const crash = await waitUntil(() => {
    const c = h.status("default", "crasher")?.containerStatuses[0];
    return c?.state.waiting?.reason === "CrashLoopBackOff" && c.restartCount >= 2 && c;
  }, 15_000, "CrashLoopBackOff");
  assert.is(crash.lastState.terminated?.exitCode, 1);
  assert.is(crash.lastState.terminated?.reason, "Error");
  assert.match(crash.state.waiting?.message ?? "", /back-off \d+s restarting failed container=main/);
  assert.is(h.status("default", "crasher")?.phase, "Running");
  await waitUntil(() => (h.status("default", "crasher")?.containerStatuses[0].restartCount ?? 0) >= 4, 20_000, "more restarts");
  // the waits between attempts grow: compare exit of attempt n with start of attempt n+1
  const list = await h.runtime.listContainers({ "kubeedge-ts.node": h.nodeName, "kubeedge-ts.pod.name": "crasher", "kubeedge-ts.container.name": "main" });
  const details = (await Promise.all(list.map((c) => h.runtime.inspectContainer(c.id)))).filter((d) => d && d.finishedAt && d.startedAt);
  details.sort((a, b) => Number(a!.labels["kubeedge-ts.container.attempt"]) - Number(b!.labels["kubeedge-ts.container.attempt"]));
  assert.ok(details.length >= 2, "the previous attempt is kept for logs");
  const [prev, last] = details.slice(-2);
  const gap = Date.parse(last!.startedAt!) - Date.parse(prev!.finishedAt!);
  assert.ok(gap >= 500, `the back-off between late attempts is at least twice the base (got ${gap} ms)`);
  let logs = "";
  for await (const c of h.edged.podLogs("default", "crasher", "main", { previous: true })) logs += Buffer.from(c).toString();
  assert.is(logs, "crash\n");
});

test("a failing liveness probe restarts the container", async () => {
  await h.put("pod", makePod("live", {
    containers: [{
      name: "main", ...img,
      command: ["sh", "-c", "touch /tmp/healthy; sleep 1; rm /tmp/healthy; sleep 3600"],
      livenessProbe: { exec: { command: ["cat", "/tmp/healthy"] }, periodSeconds: 1, failureThreshold: 2 },
    }],
  }));
  // each probe is a docker exec: on a loaded machine two failed probes and the restart take far longer than 3 s
  const c = await waitUntil(() => {
    const s = h.status("default", "live")?.containerStatuses[0];
    return s && s.restartCount >= 1 && s.state.running && s;
  }, 45_000, "restarted by liveness");
  assert.ok(c.lastState.terminated, "the killed attempt is the last state");
});

test("a failing readiness probe keeps Ready False while the pod runs; a passing httpGet probe makes it Ready", async () => {
  await h.put("pod", makePod("unready", {
    containers: [{ name: "main", ...img, command: ["sleep", "3600"], readinessProbe: { exec: { command: ["false"] }, periodSeconds: 1, failureThreshold: 1 } }],
  }));
  await h.put("pod", makePod("ready", {
    containers: [{
      name: "web", ...img, command: ["sh", "-c", "echo ok > /tmp/index.html; exec httpd -f -p 8080 -h /tmp"], ports: [{ name: "http", containerPort: 8080 }],
      readinessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 1 },
      livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 1, periodSeconds: 1, timeoutSeconds: 2, failureThreshold: 3 },
    }],
  }));
  await waitUntil(() => h.status("default", "ready")?.conditions.find((c) => c.type === "Ready")?.status === "True", 15_000, "ready pod Ready");
  const s = await waitUntil(() => {
    const st = h.status("default", "unready");
    return st?.phase === "Running" && st.containerStatuses[0].state.running && st;
  }, 15_000, "unready running");
  await new Promise((r) => setTimeout(r, 2500)); // a window: the failing readiness probe must keep it not Ready
  const later = h.status("default", "unready")!;
  assert.is(later.conditions.find((c) => c.type === "Ready")?.status, "False");
  assert.is(later.conditions.find((c) => c.type === "ContainersReady")?.status, "False");
  assert.is(later.containerStatuses[0].ready, false);
  assert.is(later.containerStatuses[0].restartCount, s.containerStatuses[0].restartCount);
  assert.is(h.status("default", "ready")?.containerStatuses[0].restartCount, 0, "a passing tcpSocket liveness probe restarts nothing");
});

test("restartPolicy Never ends Failed and OnFailure ends Succeeded after a clean exit", async () => {
  await h.put("pod", makePod("once-bad", { restartPolicy: "Never", containers: [{ name: "main", ...img, command: ["sh", "-c", "exit 3"] }] }));
  await h.put("pod", makePod("once-good", { restartPolicy: "OnFailure", containers: [{ name: "main", ...img, command: ["true"] }] }));
  const bad = await waitUntil(() => h.status("default", "once-bad")?.phase === "Failed" && h.status("default", "once-bad"), 15_000, "Failed");
  assert.is(bad.containerStatuses[0].state.terminated?.exitCode, 3);
  assert.is(bad.containerStatuses[0].restartCount, 0);
  const good = await waitUntil(() => h.status("default", "once-good")?.phase === "Succeeded" && h.status("default", "once-good"), 15_000, "Succeeded");
  assert.is(good.containerStatuses[0].state.terminated?.reason, "Completed");
});

test.run();
