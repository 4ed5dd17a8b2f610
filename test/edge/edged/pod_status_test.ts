import { test } from "uvu";
import * as assert from "uvu/assert";
import { computePodStatus, type StatusInput } from "../../../lib/edge/edged/pod_status.ts";
import type { ContainerDetails } from "../../../lib/edge/edged/runtime/index.ts";
import type { Pod } from "../../../lib/edge/edged/index.ts";

const pod = (restartPolicy: Pod["spec"]["restartPolicy"], names = ["a"]): Pod => ({
  metadata: { name: "p", namespace: "d", uid: "u" },
  spec: { restartPolicy, containers: names.map((name) => ({ name, image: "img:1" })) },
});

function c(name: string, attempt: number, s: Partial<ContainerDetails>): ContainerDetails {
  return {
    id: `${name}${attempt}`.padEnd(64, "0"), name, labels: { "kubeedge-ts.container.attempt": String(attempt) }, state: s.running ? "running" : "exited",
    createdMs: 0, running: false, exitCode: 0, oomKilled: false, error: "", image: "img:1", imageId: "sha256:1", ip: "", ...s,
  };
}

const ok = () => ({ started: true, ready: true, livenessFailed: false, message: "" });

function input(p: Pod, app: Record<string, ContainerDetails[]>, extra: Partial<StatusInput> = {}): StatusInput {
  return { pod: p, init: new Map(), app: new Map(Object.entries(app)), waiting: new Map(), probe: ok, initDone: true, podIP: "10.1.1.1", hostIP: "192.0.2.1", ...extra };
}

test("computePodStatus() reports Running and Ready with container ids, image ids and IPs", () => {
  const s = computePodStatus(input(pod("Always"), { a: [c("a", 0, { running: true, startedAt: "2026-01-01T00:00:00Z" })] }));
  assert.is(s.phase, "Running");
  assert.is(s.conditions.find((x) => x.type === "Ready")?.status, "True");
  assert.is(s.containerStatuses[0].containerID, `docker://${"a0".padEnd(64, "0")}`);
  assert.is(s.containerStatuses[0].imageID, "docker://sha256:1");
  assert.equal(s.containerStatuses[0].state, { running: { startedAt: "2026-01-01T00:00:00Z" } });
  assert.equal(s.podIPs, [{ ip: "10.1.1.1" }]);
  assert.is(s.qosClass, "BestEffort");
});

test("computePodStatus() shows CrashLoopBackOff with the last termination and counts it as Running", () => {
  const s = computePodStatus(input(pod("Always"), { a: [c("a", 3, { exitCode: 1, finishedAt: "2026-01-01T00:00:05Z" }), c("a", 2, { exitCode: 1, finishedAt: "t" })] }, {
    waiting: new Map([["a", { reason: "CrashLoopBackOff", message: "back-off 20s" }]]),
  }));
  assert.is(s.phase, "Running");
  const cs = s.containerStatuses[0];
  assert.is(cs.state.waiting?.reason, "CrashLoopBackOff");
  assert.is(cs.lastState.terminated?.exitCode, 1);
  assert.is(cs.lastState.terminated?.reason, "Error");
  assert.is(cs.restartCount, 3);
  assert.is(s.conditions.find((x) => x.type === "Ready")?.status, "False");
});

test("computePodStatus() ends Never pods Failed or Succeeded, and OnFailure pods Succeeded on exit 0", () => {
  assert.is(computePodStatus(input(pod("Never"), { a: [c("a", 0, { exitCode: 2, finishedAt: "t" })] })).phase, "Failed");
  assert.is(computePodStatus(input(pod("Never"), { a: [c("a", 0, { exitCode: 0, finishedAt: "t" })] })).phase, "Succeeded");
  assert.is(computePodStatus(input(pod("OnFailure"), { a: [c("a", 0, { exitCode: 0, finishedAt: "t" })] })).phase, "Succeeded");
  assert.is(computePodStatus(input(pod("Never"), { a: [c("a", 0, { oomKilled: true, exitCode: 137, finishedAt: "t" })] })).containerStatuses[0].state.terminated?.reason, "OOMKilled");
});

test("computePodStatus() is Pending while a container waits for its first start, and follows readiness", () => {
  const p = pod("Always", ["a", "b"]);
  const waiting = computePodStatus(input(p, { a: [c("a", 0, { running: true })] }, { waiting: new Map([["b", { reason: "ErrImagePull", message: "no registry" }]]) }));
  assert.is(waiting.phase, "Pending");
  assert.equal(waiting.containerStatuses[1].state, { waiting: { reason: "ErrImagePull", message: "no registry" } });
  const unready = computePodStatus(input(p, { a: [c("a", 0, { running: true })], b: [c("b", 0, { running: true })] }, {
    probe: (id) => ({ ...ok(), ready: !id.startsWith("b") }),
  }));
  const ready = unready.conditions.find((x) => x.type === "Ready")!;
  assert.is(ready.status, "False");
  assert.is(ready.reason, "ContainersNotReady");
  assert.is(ready.message, "containers with unready status: [b]");
});

test("computePodStatus() keeps lastTransitionTime while a condition holds and moves it on change", () => {
  const p = pod("Always");
  const first = computePodStatus(input(p, { a: [c("a", 0, { running: true })] }));
  first.conditions.forEach((x) => (x.lastTransitionTime = "2000-01-01T00:00:00Z"));
  const same = computePodStatus(input(p, { a: [c("a", 0, { running: true })] }, { previous: first }));
  assert.ok(same.conditions.every((x) => x.lastTransitionTime === "2000-01-01T00:00:00Z"));
  const changed = computePodStatus(input(p, { a: [c("a", 0, { running: true })] }, { previous: first, probe: () => ({ ...ok(), ready: false }) }));
  assert.is.not(changed.conditions.find((x) => x.type === "Ready")!.lastTransitionTime, "2000-01-01T00:00:00Z");
});

test("computePodStatus() holds app containers in PodInitializing until init containers are done", () => {
  const p: Pod = { ...pod("Always"), spec: { ...pod("Always").spec, initContainers: [{ name: "i", image: "img:1" }] } };
  const s = computePodStatus({ ...input(p, {}), initDone: false, init: new Map([["i", [c("i", 0, { running: true })]]]) });
  assert.is(s.phase, "Pending");
  assert.is(s.containerStatuses[0].state.waiting?.reason, "PodInitializing");
  assert.is(s.conditions.find((x) => x.type === "Initialized")?.status, "False");
  assert.ok(s.initContainerStatuses?.[0].state.running);
});

test.run();
