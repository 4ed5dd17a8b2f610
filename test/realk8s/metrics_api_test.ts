/**
 * `kubectl top` on a real cluster through its aggregator: the real kube-apiserver 1.28 (test/support/realk8s.ts) with
 * an APIService for metrics.k8s.io pointing at cloud_core's aggregated API, served in-process on 127.0.0.1 with a
 * usage report fed to ResourceMetrics as CloudHub would deliver it. There is no kube-proxy here, so the Service is
 * an ExternalName one naming 127.0.0.1, which the aggregator dials directly; the aggregator's front-proxy client
 * certificate is what the API checks.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ResourceMetrics, startAggregatedApi, type AggregatedApi } from "../../lib/cloud/resourcemetrics/index.ts";
import { createLogger } from "../../lib/log/index.ts";
import { newMessage, Source, USAGE_GROUP } from "../../lib/model/index.ts";
import { kubectl, type KubectlEnv } from "../support/kubectl.ts";
import { waitUntil } from "../support/process.ts";
import { type RealK8s, useRealK8s } from "../support/realk8s.ts";
import { selfSignedTls } from "../support/tls.ts";

const NODE = `top-real-${process.pid}`;
const NS = `top-real-${process.pid}`;
let k8s: RealK8s | undefined;
let served: AggregatedApi | undefined;
let env: KubectlEnv | undefined;

test.after(async () => {
  if (env) {
    await kubectl(env, ["delete", "apiservice", "v1beta1.metrics.k8s.io", "--ignore-not-found"]).catch(() => {});
    await kubectl(env, ["delete", "namespace", NS, "--wait=false", "--ignore-not-found"]).catch(() => {});
    await kubectl(env, ["delete", "node", NODE, "--ignore-not-found"]).catch(() => {});
  }
  await served?.close();
  await k8s?.release();
});

test("kubectl top node and pod read cloud_core's metrics.k8s.io through the real aggregator", async () => {
  k8s = await useRealK8s();
  if (!k8s) return;
  env = { kubeconfig: k8s.kubeconfig, home: join(k8s.dir, "home-top") };
  const k = (args: string[], stdin?: string) => kubectl(env!, args, { stdin, timeoutMs: 60_000 });
  const made = await k(["apply", "-f", "-"], `apiVersion: v1
kind: Namespace
metadata: {name: ${NS}}
---
apiVersion: v1
kind: Node
metadata: {name: ${NODE}, labels: {node-role.kubernetes.io/edge: ""}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: ${NS}, labels: {app: web}}
spec:
  nodeName: ${NODE}
  containers: [{name: main, image: busybox}]
`);
  assert.is(made.code, 0, made.stderr);
  const uid = (await k(["-n", NS, "get", "pod", "web", "-o", "jsonpath={.metadata.uid}"])).stdout;

  const usage = new ResourceMetrics({ log: createLogger("resourcemetrics", { level: "error" }), minIntervalMs: 0 });
  usage.handle(newMessage({
    source: Source.edged, group: USAGE_GROUP, operation: "update", resource: `node/${NODE}/default/nodemetrics/${NODE}`,
    content: {
      timestamp: new Date().toISOString(), windowSeconds: 15, node: { cpuNanoCores: 333_000_000, memoryBytes: 300 * 1024 * 1024 },
      pods: [{ namespace: NS, name: "web", uid, containers: [{ name: "main", cpuNanoCores: 42_000_000, memoryBytes: 10 * 1024 * 1024 }] }],
    },
  }), Date.now());
  const kc = new KubeConfig();
  kc.loadFromFile(k8s.kubeconfig);
  const tls = await selfSignedTls("cloudcore-metrics");
  served = await startAggregatedApi({
    address: { host: "127.0.0.1", port: 0 }, tls, clientCA: readFileSync(join(k8s.dir, "pki/front-proxy-ca.crt"), "utf8"),
    allowedNames: ["front-proxy-client"], source: usage, kubeConfig: kc, log: createLogger("metricsapi", { level: "error" }),
  });
  const port = new URL(served.url).port;

  // a stranger without the front-proxy certificate is refused
  const direct = await fetch(`${served.url}/apis/metrics.k8s.io/v1beta1/nodes`).catch((e: Error) => e);
  assert.ok(direct instanceof Error || direct.status === 401, "no client certificate, no metrics");

  const registered = await k(["apply", "-f", "-"], `apiVersion: v1
kind: Service
metadata: {name: cloudcore-metrics, namespace: ${NS}}
spec:
  type: ExternalName
  externalName: 127.0.0.1
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.metrics.k8s.io}
spec:
  group: metrics.k8s.io
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 100
  insecureSkipTLSVerify: true
  service: {name: cloudcore-metrics, namespace: ${NS}, port: ${port}}
`);
  assert.is(registered.code, 0, registered.stderr);
  await waitUntil(async () => (await k(["get", "apiservice", "v1beta1.metrics.k8s.io", "-o", "jsonpath={.status.conditions[?(@.type=='Available')].status}"])).stdout === "True",
    60_000, "APIService Available", { progress: async () => (await k(["get", "apiservice", "v1beta1.metrics.k8s.io", "-o", "jsonpath={.status.conditions}"])).stdout });

  const top = await waitUntil(async () => {
    const r = await k(["top", "node", NODE, "--no-headers"]);
    return r.code === 0 ? r.stdout : undefined;
  }, 60_000, "kubectl top node through the aggregator");
  assert.match(top, new RegExp(`^${NODE}\\s+333m\\s+(\\S+\\s+)?300Mi`, "m"));
  const pods = await k(["top", "pod", "-n", NS, "--containers", "--no-headers"]);
  assert.is(pods.code, 0, pods.stderr);
  assert.match(pods.stdout, /^web\s+main\s+42m\s+10Mi\s*$/m);
  const raw = JSON.parse((await k(["get", "--raw", `/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods/web`])).stdout);
  assert.equal(raw.containers, [{ name: "main", usage: { cpu: "42000000n", memory: "10240Ki" } }]);
  assert.equal(raw.metadata.labels, { app: "web" });
});

test.run();
