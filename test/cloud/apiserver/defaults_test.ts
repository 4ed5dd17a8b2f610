import { test } from "uvu";
import * as assert from "uvu/assert";
import { applyDefaults, type DefaultingContext } from "../../../lib/cloud/apiserver/defaults.ts";
import { defaultPullPolicy } from "../../../lib/cloud/apiserver/pod_defaults.ts";
import type { KubeObject } from "../../../lib/kube/index.ts";

const ctx = (op: "create" | "update", previous?: KubeObject): DefaultingContext => {
  let port = 30000;
  return { op, previous, allocateClusterIP: () => "10.96.0.10", allocateNodePort: (taken) => { while (taken.includes(port)) port++; return port++; } };
};

test("defaultPullPolicy() pulls latest and untagged images always, others if not present", () => {
  assert.is(defaultPullPolicy("nginx"), "Always");
  assert.is(defaultPullPolicy("nginx:latest"), "Always");
  assert.is(defaultPullPolicy("registry:5000/nginx"), "Always");
  assert.is(defaultPullPolicy("registry:5000/nginx:1.25"), "IfNotPresent");
  assert.is(defaultPullPolicy("nginx@sha256:abc"), "IfNotPresent");
});

test("applyDefaults() fills a new pod's spec, probes and status", () => {
  const pod: KubeObject = {
    kind: "Pod", metadata: { name: "p" },
    spec: { containers: [{ name: "c", image: "x:1", readinessProbe: { httpGet: { path: "/", port: 80 } } }], volumes: [{ name: "v", configMap: { name: "cm" } }] },
  };
  applyDefaults("", pod, ctx("create"));
  const spec = pod.spec as any;
  assert.equal([spec.restartPolicy, spec.dnsPolicy, spec.schedulerName, spec.terminationGracePeriodSeconds], ["Always", "ClusterFirst", "default-scheduler", 30]);
  assert.equal(spec.containers[0].readinessProbe, { httpGet: { path: "/", port: 80, scheme: "HTTP" }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.is(spec.volumes[0].configMap.defaultMode, 420);
  assert.is(spec.tolerations.length, 2);
  assert.equal(pod.status, { phase: "Pending", qosClass: "BestEffort" });
});

test("applyDefaults() fills podIPs from a reported podIP", () => {
  const pod: KubeObject = { kind: "Pod", metadata: { name: "p" }, spec: { containers: [] }, status: { phase: "Running", podIP: "10.1.0.5", hostIP: "10.0.0.1" } };
  applyDefaults("", pod, ctx("update"));
  assert.equal((pod.status as any).podIPs, [{ ip: "10.1.0.5" }]);
  assert.equal((pod.status as any).hostIPs, [{ ip: "10.0.0.1" }]);
});

test("applyDefaults() gives services a cluster IP, TCP ports, target ports and node ports", () => {
  const svc: KubeObject = { kind: "Service", metadata: { name: "s" }, spec: { type: "NodePort", ports: [{ port: 80 }, { port: 443, nodePort: 30000 }] } };
  applyDefaults("", svc, ctx("create"));
  const spec = svc.spec as any;
  assert.is(spec.clusterIP, "10.96.0.10");
  assert.equal(spec.clusterIPs, ["10.96.0.10"]);
  assert.equal(spec.ports, [{ port: 80, protocol: "TCP", targetPort: 80, nodePort: 30001 }, { port: 443, nodePort: 30000, protocol: "TCP", targetPort: 443 }]);
  const again: KubeObject = { kind: "Service", metadata: { name: "s" }, spec: { type: "NodePort", ports: [{ port: 80 }] } };
  applyDefaults("", again, ctx("update", svc));
  assert.equal([(again.spec as any).clusterIP, (again.spec as any).ports[0].nodePort], ["10.96.0.10", 30001]);
});

test("applyDefaults() sets deployment strategy and history, and namespace labels and phase", () => {
  const d: KubeObject = { kind: "Deployment", metadata: { name: "d" }, spec: { template: { spec: { containers: [{ name: "c", image: "x" }] } } } };
  applyDefaults("apps", d, ctx("create"));
  const spec = d.spec as any;
  assert.equal([spec.replicas, spec.revisionHistoryLimit, spec.progressDeadlineSeconds], [1, 10, 600]);
  assert.equal(spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } });
  const ns: KubeObject = { kind: "Namespace", metadata: { name: "team" } };
  applyDefaults("", ns, ctx("create"));
  assert.equal(ns.metadata?.labels, { "kubernetes.io/metadata.name": "team" });
  assert.equal([(ns.spec as any).finalizers, (ns.status as any).phase], [["kubernetes"], "Active"]);
});

test.run();
