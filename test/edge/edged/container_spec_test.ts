import { test } from "uvu";
import * as assert from "uvu/assert";
import { appContainerSpec, sandboxSpec } from "../../../lib/edge/edged/container_spec.ts";
import type { Pod } from "../../../lib/edge/edged/index.ts";

const pod: Pod = {
  metadata: { name: "web", namespace: "prod", uid: "uid-1" },
  spec: {
    terminationGracePeriodSeconds: 7,
    securityContext: { runAsUser: 1000 },
    containers: [{
      name: "app", image: "img:1", command: ["sh", "-c"], args: ["echo $(GREETING) $$(X)"], workingDir: "/w",
      ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, hostPort: 5353, protocol: "UDP" }, { containerPort: 9000 }],
      resources: { limits: { memory: "64Mi", cpu: "500m" }, requests: { cpu: "250m" } },
      securityContext: { runAsGroup: 100, privileged: true, capabilities: { add: ["NET_ADMIN"] } },
      volumeMounts: [{ name: "cfg", mountPath: "/etc/cfg" }, { name: "data", mountPath: "/data/sub", subPath: "x/y" }],
    }],
  },
};

test("sandboxSpec() owns the network, publishes hostPorts and carries the pod labels", () => {
  const s = sandboxSpec(pod, { nodeName: "n1", image: "pause:1", attempt: 2 });
  assert.is(s.name, "k8s_POD_web_prod_uid-1_2");
  assert.is(s.network, "bridge");
  assert.is(s.hostname, "web");
  assert.equal(s.ports, [
    { containerPort: 80, hostPort: 8080, hostIP: undefined, protocol: "tcp" },
    { containerPort: 53, hostPort: 5353, hostIP: undefined, protocol: "udp" },
  ]);
  assert.is(s.labels["kubeedge-ts.container.role"], "sandbox");
  assert.is(s.labels["kubeedge-ts.container.attempt"], "2");
  assert.is(s.labels["kubeedge-ts.pod.grace-seconds"], "7");
  const host = sandboxSpec({ ...pod, spec: { ...pod.spec, hostNetwork: true } }, { nodeName: "n1", image: "pause:1", attempt: 0 });
  assert.is(host.network, "host");
  assert.equal(host.ports, []);
});

test("appContainerSpec() maps command, args, env, mounts, limits and security onto the engine", () => {
  const s = appContainerSpec(pod, pod.spec.containers[0], {
    nodeName: "n1", sandboxId: "sb1", role: "app", attempt: 1,
    env: new Map([["GREETING", "hi"]]),
    volumes: new Map([["cfg", { hostPath: "/v/cfg", readOnly: true }], ["data", { hostPath: "/v/data", readOnly: false }]]),
  });
  assert.is(s.name, "k8s_app_web_prod_uid-1_1");
  assert.equal(s.entrypoint, ["sh", "-c"]);
  assert.equal(s.cmd, ["echo hi $(X)"]);
  assert.equal(s.env, ["GREETING=hi"]);
  assert.is(s.network, "container:sb1");
  assert.equal(s.mounts, [{ source: "/v/cfg", target: "/etc/cfg", readOnly: true }, { source: "/v/data/x/y", target: "/data/sub", readOnly: false }]);
  assert.is(s.memoryBytes, 64 * 1024 * 1024);
  assert.is(s.nanoCpus, 5e8);
  assert.is(s.cpuShares, 256);
  assert.is(s.user, "1000:100");
  assert.is(s.privileged, true);
  assert.equal(s.capAdd, ["NET_ADMIN"]);
  assert.is(s.workingDir, "/w");
  assert.is(s.labels["kubeedge-ts.container.sandbox"], "sb1");
  assert.match(s.labels["kubeedge-ts.container.hash"], /^[0-9a-f]{16}$/);
});

test("appContainerSpec() refuses a mount of a volume the pod does not have", () => {
  assert.throws(() => appContainerSpec(pod, pod.spec.containers[0], { nodeName: "n", sandboxId: "s", role: "app", attempt: 0, env: new Map(), volumes: new Map() }), /volume "cfg"/);
});

test.run();
