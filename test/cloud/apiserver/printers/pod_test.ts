import { test } from "uvu";
import * as assert from "uvu/assert";
import { podPrinter } from "../../../../lib/cloud/apiserver/printers/pod.ts";

const NOW = new Date("2025-01-01T12:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const MIN = 60_000;

function pod(overrides: { spec?: object; status?: object; metadata?: object } = {}) {
  return {
    kind: "Pod",
    apiVersion: "v1",
    metadata: { name: "nginx", namespace: "default", uid: "u1", resourceVersion: "10", creationTimestamp: ago(14 * 1000), ...overrides.metadata },
    spec: { nodeName: "edge-node-1", containers: [{ name: "nginx", image: "nginx:1.27" }], ...overrides.spec },
    status: { phase: "Running", ...overrides.status },
  };
}

const running = (name = "nginx") => ({ name, ready: true, restartCount: 0, state: { running: { startedAt: ago(MIN) } } });

test("podPrinter has the nine columns of kubectl get pods -o wide", () => {
  assert.equal(podPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority]), [
    ["Name", "string", "name", 0], ["Ready", "string", "", 0], ["Status", "string", "", 0], ["Restarts", "string", "", 0],
    ["Age", "string", "", 0], ["IP", "string", "", 1], ["Node", "string", "", 1], ["Nominated Node", "string", "", 1],
    ["Readiness Gates", "string", "", 1],
  ]);
});

test("podPrinter.cells() prints a running pod with its IP and node", () => {
  const p = pod({ status: { phase: "Running", podIP: "10.244.0.4", podIPs: [{ ip: "10.244.0.4" }], containerStatuses: [running()] } });
  assert.equal(podPrinter.cells(p, NOW), ["nginx", "1/1", "Running", "0", "14s", "10.244.0.4", "edge-node-1", "<none>", "<none>"]);
});

test("podPrinter.cells() prints CrashLoopBackOff with the restart count and when the last run ended", () => {
  const p = pod({
    status: {
      phase: "Running",
      containerStatuses: [{
        name: "nginx", ready: false, restartCount: 3,
        state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 40s restarting failed container" } },
        lastState: { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(5 * MIN) } },
      }],
    },
  });
  assert.equal(podPrinter.cells(p, NOW).slice(0, 4), ["nginx", "0/1", "CrashLoopBackOff", "3 (5m ago)"]);
});

test("podPrinter.cells() prints the restart count alone when no last termination is known", () => {
  const p = pod({ status: { phase: "Running", containerStatuses: [{ ...running(), restartCount: 2 }] } });
  assert.is(podPrinter.cells(p, NOW)[3], "2");
});

test("podPrinter.cells() prints Terminating for a pod being deleted", () => {
  const p = pod({ metadata: { deletionTimestamp: ago(3000) }, status: { phase: "Running", containerStatuses: [running()] } });
  assert.equal(podPrinter.cells(p, NOW).slice(0, 3), ["nginx", "1/1", "Terminating"]);
});

test("podPrinter.cells() prints Unknown for a deleted pod on a lost node", () => {
  const p = pod({ metadata: { deletionTimestamp: ago(3000) }, status: { phase: "Running", reason: "NodeLost" } });
  assert.is(podPrinter.cells(p, NOW)[2], "Unknown");
});

test("podPrinter.cells() keeps Completed for a finished pod being deleted", () => {
  const p = pod({
    metadata: { deletionTimestamp: ago(3000) },
    status: { phase: "Succeeded", containerStatuses: [{ name: "nginx", ready: false, state: { terminated: { exitCode: 0, reason: "Completed" } } }] },
  });
  assert.is(podPrinter.cells(p, NOW)[2], "Completed");
});

test("podPrinter.cells() prints Pending and 0/n for a pod without container statuses", () => {
  const p = pod({ spec: { containers: [{ name: "a" }, { name: "b" }] }, status: { phase: "Pending" } });
  assert.equal(podPrinter.cells(p, NOW).slice(1, 4), ["0/2", "Pending", "0"]);
  assert.equal(podPrinter.cells(p, NOW).slice(5), ["<none>", "edge-node-1", "<none>", "<none>"]);
});

test("podPrinter.cells() prints ContainerCreating from the waiting reason", () => {
  const p = pod({ status: { phase: "Pending", containerStatuses: [{ name: "nginx", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } }] } });
  assert.equal(podPrinter.cells(p, NOW).slice(1, 4), ["0/1", "ContainerCreating", "0"]);
});

test("podPrinter.cells() lets the first container's state win over later ones", () => {
  const p = pod({
    spec: { containers: [{ name: "a" }, { name: "b" }] },
    status: {
      phase: "Running",
      containerStatuses: [
        { name: "a", ready: false, state: { waiting: { reason: "ImagePullBackOff" } } },
        { name: "b", ready: false, state: { waiting: { reason: "CrashLoopBackOff" } } },
      ],
    },
  });
  assert.is(podPrinter.cells(p, NOW)[2], "ImagePullBackOff");
});

test("podPrinter.cells() prints ExitCode:N or Signal:N for a termination without a reason", () => {
  const exit = pod({ status: { phase: "Failed", containerStatuses: [{ name: "nginx", state: { terminated: { exitCode: 137 } } }] } });
  assert.is(podPrinter.cells(exit, NOW)[2], "ExitCode:137");
  const signal = pod({ status: { phase: "Failed", containerStatuses: [{ name: "nginx", state: { terminated: { exitCode: 0, signal: 9 } } }] } });
  assert.is(podPrinter.cells(signal, NOW)[2], "Signal:9");
});

test("podPrinter.cells() turns Completed back into Running or NotReady while a container still runs", () => {
  const statuses = [
    { name: "main", ready: true, state: { running: {} } },
    { name: "job", ready: false, state: { terminated: { exitCode: 0, reason: "Completed" } } },
  ];
  const spec = { containers: [{ name: "main" }, { name: "job" }] };
  const ready = pod({ spec, status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }], containerStatuses: statuses } });
  assert.equal(podPrinter.cells(ready, NOW).slice(1, 3), ["1/2", "Running"]);
  const notReady = pod({ spec, status: { phase: "Running", conditions: [{ type: "Ready", status: "False" }], containerStatuses: statuses } });
  assert.equal(podPrinter.cells(notReady, NOW).slice(1, 3), ["1/2", "NotReady"]);
});

test("podPrinter.cells() prints Init:i/n while init containers run", () => {
  const spec = { initContainers: [{ name: "i1" }, { name: "i2" }], containers: [{ name: "nginx" }] };
  const p = pod({
    spec,
    status: {
      phase: "Pending",
      initContainerStatuses: [
        { name: "i1", restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } },
        { name: "i2", restartCount: 0, state: { running: {} } },
      ],
      containerStatuses: [{ name: "nginx", ready: false, state: { waiting: { reason: "PodInitializing" } } }],
    },
  });
  assert.equal(podPrinter.cells(p, NOW).slice(1, 4), ["0/1", "Init:1/2", "0"]);
});

test("podPrinter.cells() prints Init:<reason>, Init:ExitCode:N and Init:Signal:N for failing init containers", () => {
  const spec = { initContainers: [{ name: "init" }], containers: [{ name: "nginx" }] };
  const withInit = (state: object, restartCount = 0) =>
    pod({ spec, status: { phase: "Pending", initContainerStatuses: [{ name: "init", restartCount, state, lastState: { terminated: { exitCode: 1, finishedAt: ago(2 * MIN) } } }] } });
  assert.is(podPrinter.cells(withInit({ waiting: { reason: "ErrImagePull" } }), NOW)[2], "Init:ErrImagePull");
  assert.is(podPrinter.cells(withInit({ waiting: { reason: "PodInitializing" } }), NOW)[2], "Init:0/1");
  assert.is(podPrinter.cells(withInit({ terminated: { exitCode: 2 } }), NOW)[2], "Init:ExitCode:2");
  assert.is(podPrinter.cells(withInit({ terminated: { exitCode: 1, signal: 15 } }), NOW)[2], "Init:Signal:15");
  assert.is(podPrinter.cells(withInit({ terminated: { exitCode: 1, reason: "Error" } }), NOW)[2], "Init:Error");
  // While initialising, init container restarts count too.
  assert.is(podPrinter.cells(withInit({ waiting: { reason: "CrashLoopBackOff" } }, 4), NOW)[3], "4 (2m ago)");
});

test("podPrinter.cells() counts started sidecar init containers in READY and their restarts once initialised", () => {
  const p = pod({
    spec: { initContainers: [{ name: "setup" }, { name: "proxy", restartPolicy: "Always" }], containers: [{ name: "nginx" }] },
    status: {
      phase: "Running",
      conditions: [{ type: "Initialized", status: "True" }, { type: "Ready", status: "True" }],
      initContainerStatuses: [
        { name: "setup", restartCount: 5, state: { terminated: { exitCode: 0, reason: "Completed" } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(60 * MIN) } } },
        { name: "proxy", ready: true, started: true, restartCount: 1, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: ago(3 * MIN) } } },
      ],
      containerStatuses: [running()],
    },
  });
  assert.equal(podPrinter.cells(p, NOW).slice(1, 4), ["2/2", "Running", "1 (3m ago)"]);
});

test("podPrinter.cells() prints SchedulingGated from the PodScheduled condition", () => {
  const p = pod({ spec: { nodeName: undefined }, status: { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }] } });
  assert.equal(podPrinter.cells(p, NOW).slice(2, 3), ["SchedulingGated"]);
  assert.is(podPrinter.cells(p, NOW)[6], "<none>");
});

test("podPrinter.cells() prints the pod's own reason, such as Evicted", () => {
  const p = pod({ status: { phase: "Failed", reason: "Evicted", message: "The node was low on resource: memory." } });
  assert.is(podPrinter.cells(p, NOW)[2], "Evicted");
});

test("podPrinter.cells() prints the nominated node and readiness gates that passed", () => {
  const p = pod({
    spec: { readinessGates: [{ conditionType: "example.com/lb" }, { conditionType: "example.com/dns" }] },
    status: { phase: "Running", nominatedNodeName: "edge-node-2", conditions: [{ type: "example.com/lb", status: "True" }], containerStatuses: [running()] },
  });
  assert.equal(podPrinter.cells(p, NOW).slice(7), ["edge-node-2", "1/2"]);
});

test("podPrinter.conditions() marks succeeded and failed pods Completed", () => {
  assert.equal(podPrinter.conditions!(pod({ status: { phase: "Succeeded" } })), [
    { type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." },
  ]);
  assert.is(podPrinter.conditions!(pod({ status: { phase: "Failed" } }))![0].reason, "Failed");
  assert.is(podPrinter.conditions!(pod()), undefined);
});

test("podPrinter.cells() prints <unknown> age for a pod without a creation time", () => {
  assert.is(podPrinter.cells({ metadata: { name: "x" } }, NOW)[4], "<unknown>");
  assert.equal(podPrinter.cells({ metadata: { name: "x" } }, NOW).slice(0, 4), ["x", "0/0", "", "0"]);
});

test.run();
