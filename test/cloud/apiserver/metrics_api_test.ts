/**
 * `metrics.k8s.io` on the embedded API, read by real kubectl: usage reports fed to the ResourceMetrics module as
 * CloudHub would deliver them, and `kubectl top` printing them. A node reporting a pod bound elsewhere, or a pod
 * under a UID the API does not know, gets nothing served.
 *
 * @module
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ResourceMetrics } from "../../../lib/cloud/resourcemetrics/index.ts";
import { createLogger } from "../../../lib/log/index.ts";
import { newMessage, Source, USAGE_GROUP } from "../../../lib/model/index.ts";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.ts";

let t: TestApiServer | undefined;
test.after(async () => {
  await t?.close();
});

const pod = (name: string, node: string, app: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default, labels: {app: ${app}}}
spec:
  nodeName: ${node}
  containers: [{name: main, image: busybox}]
`;

test("kubectl top node and pod print the reports; a node cannot speak for pods bound elsewhere", async () => {
  t = await startTestApiServer();
  const usage = new ResourceMetrics({ log: createLogger("resourcemetrics", { level: "error" }), minIntervalMs: 0 });
  t.api.setResourceUsage(usage);
  const api = t;
  const nodes = ["edge-a", "edge-b"].map((n) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${n}, labels: {zone: ${n === "edge-a" ? "z1" : "z2"}}}\n`);
  const applied = await api.kubectl(["apply", "-f", "-"], {
    stdin: [...nodes, pod("web", "edge-a", "web"), pod("db", "edge-a", "db"), pod("other", "edge-b", "web")].join("---\n"),
  });
  assert.is(applied.code, 0, applied.stderr);
  const uid = async (name: string) => (await api.kubectl(["get", "pod", name, "-o", "jsonpath={.metadata.uid}"])).stdout;
  const c = (name: string, cpu: number, mem: number) => ({ name, cpuNanoCores: cpu, memoryBytes: mem });
  usage.handle(newMessage({
    source: Source.edged, group: USAGE_GROUP, operation: "update", resource: "node/edge-a/default/nodemetrics/edge-a",
    content: {
      timestamp: new Date().toISOString(), windowSeconds: 15, node: { cpuNanoCores: 250_000_000, memoryBytes: 512 * 1024 * 1024 },
      pods: [
        { namespace: "default", name: "web", uid: await uid("web"), containers: [c("main", 120_000_000, 64 * 1024 * 1024)] },
        { namespace: "default", name: "db", uid: "not-the-uid", containers: [c("main", 1, 1)] },
        { namespace: "default", name: "other", uid: await uid("other"), containers: [c("main", 1, 1)] },
      ],
    },
  }), Date.now());

  const resources = await api.kubectl(["api-resources", "--api-group=metrics.k8s.io", "-o", "wide", "--no-headers"]);
  assert.is(resources.code, 0, resources.stderr);
  assert.match(resources.stdout, /^nodes\s+metrics\.k8s\.io\/v1beta1\s+false\s+NodeMetrics\s+get,list/m);
  assert.match(resources.stdout, /^pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics\s+get,list/m);

  const top = await api.kubectl(["top", "node", "--no-headers"]);
  assert.is(top.code, 0, top.stderr);
  assert.match(top.stdout, /^edge-a\s+250m\s+(\S+\s+)?512Mi\s+/m, top.stdout);
  assert.not.match(top.stdout, /edge-b\s+\d/);
  const byLabel = await api.kubectl(["top", "node", "-l", "zone=z2"]);
  assert.not.match(byLabel.stdout, /edge-a/);

  const pods = await api.kubectl(["top", "pod", "--containers", "--no-headers"]);
  assert.is(pods.code, 0, pods.stderr);
  assert.match(pods.stdout, /^web\s+main\s+120m\s+64Mi\s*$/m, pods.stdout);
  assert.not.match(pods.stdout, /^(db|other)\s/m, "wrong UID and pods bound to another node are not served");
  const selected = await api.kubectl(["top", "pod", "-l", "app=db"]);
  assert.not.match(selected.stdout, /^web/m);

  const one = await api.request("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web");
  assert.is(one.status, 200);
  assert.equal(one.json().containers, [{ name: "main", usage: { cpu: "120000000n", memory: "65536Ki" } }]);
  assert.is(one.json().window, "15s");
  assert.equal(one.json().metadata.labels, { app: "web" });
  assert.is((await api.request("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/other")).status, 404);
  assert.is((await api.request("GET", "/apis/metrics.k8s.io/v1beta1/nodes/edge-b")).status, 404);
  assert.is((await api.request("DELETE", "/apis/metrics.k8s.io/v1beta1/nodes/edge-a")).status, 405);
  assert.is((await api.request("GET", "/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=%3D%3D")).status, 400);
});

test.run();
