import type { V1Pod } from "@kubernetes/client-node";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startTestCluster, type TestCluster } from "./controllers_harness.ts";
import { waitUntil } from "../support/process.ts";

let c: TestCluster;

const deployment = (name: string, replicas: number, strategy: object) => JSON.stringify({
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name },
  spec: {
    replicas, strategy, selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "busybox:1" }] } },
  },
});

const isReady = (p: V1Pod) => p.status?.conditions?.some((x) => x.type === "Ready" && x.status === "True") ?? false;

/** Samples the deployment's pods while `action` runs and until the rollout completes. */
async function sampleDuring(name: string, action: () => Promise<unknown>): Promise<V1Pod[][]> {
  const samples: V1Pod[][] = [];
  let done = false;
  const sampler = (async () => {
    while (!done) {
      samples.push(await c.pods("default", `app=${name}`));
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  await action();
  await c.kubectlOk(["rollout", "status", `deployment/${name}`, "--timeout=30s"]);
  done = true;
  await sampler;
  samples.push(await c.pods("default", `app=${name}`));
  return samples;
}

test.before(async () => {
  c = await startTestCluster({ kubeletStopDelayMs: 200 });
  for (const name of ["r1", "r2", "r3"]) await c.addNode({ name });
});

test.after(async () => {
  await c?.close();
});

test("RollingUpdate with maxSurge 1 and maxUnavailable 0 never exceeds 5 pods nor drops below 4 ready", async () => {
  await c.kubectlOk(["apply", "-f", "-"], deployment("roll", 4, { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }));
  await c.kubectlOk(["rollout", "status", "deployment/roll", "--timeout=30s"]);
  const samples = await sampleDuring("roll", () => c.kubectlOk(["set", "image", "deployment/roll", "c=busybox:2"]));
  for (const pods of samples) {
    const active = pods.filter((p) => !p.metadata?.deletionTimestamp);
    assert.ok(active.length <= 5, `at most 5 pods, saw ${active.length}`);
    assert.ok(active.filter(isReady).length >= 4, `at least 4 ready, saw ${active.filter(isReady).length}`);
  }
  // rollout status returns while the last old pod may still be terminating, as on a cluster
  const last = samples.at(-1)!.filter((p) => !p.metadata?.deletionTimestamp);
  assert.is(last.length, 4);
  assert.ok(last.every((p) => p.spec?.containers[0]?.image === "busybox:2"));
  const events = await c.kubectlOk(["get", "events", "--field-selector", "involvedObject.name=roll", "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}"]);
  assert.match(events, /Scaled up replica set roll-\w+ from 0 to 1/);
  assert.match(events, /Scaled down replica set roll-\w+ from 4 to 3/);
});

test("Recreate stops every old pod before a new one is created", async () => {
  await c.kubectlOk(["apply", "-f", "-"], deployment("rec", 3, { type: "Recreate" }));
  await c.kubectlOk(["rollout", "status", "deployment/rec", "--timeout=30s"]);
  const samples = await sampleDuring("rec", () => c.kubectlOk(["set", "image", "deployment/rec", "c=busybox:2"]));
  for (const pods of samples) {
    const images = new Set(pods.map((p) => p.spec?.containers[0]?.image));
    assert.ok(images.size <= 1, `old and new pods together: ${[...images].join(", ")}`);
  }
  assert.ok(samples.some((pods) => pods.length === 0) || samples.some((pods) => pods.some((p) => p.metadata?.deletionTimestamp)), "old pods were stopped first");
  const last = samples.at(-1)!;
  assert.is(last.length, 3);
  assert.ok(last.every((p) => p.spec?.containers[0]?.image === "busybox:2"));
});

test("a Deployment with maxUnavailable 100% replaces all pods at once and reports the revision", async () => {
  await c.kubectlOk(["apply", "-f", "-"], deployment("fast", 3, { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: "100%" } }));
  await c.kubectlOk(["rollout", "status", "deployment/fast", "--timeout=30s"]);
  await c.kubectlOk(["set", "image", "deployment/fast", "c=busybox:2"]);
  await c.kubectlOk(["rollout", "status", "deployment/fast", "--timeout=30s"]);
  const d = JSON.parse(await c.kubectlOk(["get", "deployment", "fast", "-o", "json"]));
  assert.is(d.metadata.annotations["deployment.kubernetes.io/revision"], "2");
  assert.is(d.status.updatedReplicas, 3);
  assert.is(d.status.observedGeneration, d.metadata.generation);
  const rs = JSON.parse(await c.kubectlOk(["get", "rs", "-l", "app=fast", "-o", "json"])).items as any[];
  const current = rs.find((r) => r.metadata.annotations["deployment.kubernetes.io/revision"] === "2");
  assert.is(current.metadata.annotations["deployment.kubernetes.io/desired-replicas"], "3");
  assert.is(current.metadata.annotations["deployment.kubernetes.io/max-replicas"], "3");
});

test("a paused Deployment rolls nothing out until it is resumed", async () => {
  await c.kubectlOk(["apply", "-f", "-"], deployment("paused", 2, { type: "RollingUpdate" }));
  await c.kubectlOk(["rollout", "status", "deployment/paused", "--timeout=30s"]);
  await c.kubectlOk(["rollout", "pause", "deployment/paused"]);
  await c.kubectlOk(["set", "image", "deployment/paused", "c=busybox:2"]);
  const d = await waitUntil(async () => {
    const x = JSON.parse(await c.kubectlOk(["get", "deployment", "paused", "-o", "json"]));
    return x.status.observedGeneration >= x.metadata.generation ? x : undefined;
  }, 20_000, "the controller to see the paused change");
  assert.is(d.status.conditions.find((x: { type: string }) => x.type === "Progressing").reason, "DeploymentPaused");
  assert.is(JSON.parse(await c.kubectlOk(["get", "rs", "-l", "app=paused", "-o", "json"])).items.length, 1);
  await c.kubectlOk(["rollout", "resume", "deployment/paused"]);
  assert.match(await c.kubectlOk(["rollout", "status", "deployment/paused", "--timeout=30s"]), "successfully rolled out");
  const pods = (await c.pods("default", "app=paused")).filter((p) => !p.metadata?.deletionTimestamp);
  assert.ok(pods.length === 2 && pods.every((p) => p.spec?.containers[0]?.image === "busybox:2"));
});

test.run();
