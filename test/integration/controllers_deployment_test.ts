import { test } from "uvu";
import * as assert from "uvu/assert";
import { startTestCluster, type TestCluster } from "./controllers_harness.ts";
import { waitUntil } from "../support/process.ts";

let c: TestCluster;

const manifest = (image: string, replicas = 3) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
`;

test.before(async () => {
  c = await startTestCluster();
  for (const name of ["n1", "n2", "n3"]) await c.addNode({ name });
});

test.after(async () => {
  await c?.close();
});

test("kubectl apply of a Deployment gives 1 ReplicaSet and 3 pods spread over 3 nodes", async () => {
  assert.match(await c.kubectlOk(["apply", "-f", "-"], manifest("nginx:1.25")), "deployment.apps/web created");
  const out = await c.kubectlOk(["rollout", "status", "deployment/web", "--timeout=30s"]);
  assert.match(out, 'deployment "web" successfully rolled out');
  const rs = JSON.parse(await c.kubectlOk(["get", "rs", "-l", "app=web", "-o", "json"])).items;
  assert.is(rs.length, 1);
  assert.match(rs[0].metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.is(rs[0].metadata.annotations["deployment.kubernetes.io/revision"], "1");
  const pods = await c.pods("default", "app=web");
  assert.is(pods.length, 3);
  assert.equal(new Set(pods.map((p) => p.spec?.nodeName)).size, 3);
  for (const p of pods) assert.is(p.metadata?.labels?.["pod-template-hash"], rs[0].metadata.labels["pod-template-hash"]);
  const d = JSON.parse(await c.kubectlOk(["get", "deploy", "web", "-o", "json"]));
  assert.is(d.status.availableReplicas, 3);
  assert.is(d.metadata.annotations["deployment.kubernetes.io/revision"], "1");
  const reasons = d.status.conditions.map((x: { type: string; reason: string }) => `${x.type}=${x.reason}`);
  assert.equal(reasons, ["Available=MinimumReplicasAvailable", "Progressing=NewReplicaSetAvailable"]);
});

test("kubectl describe shows the controllers' events", async () => {
  const d = await c.kubectlOk(["describe", "deployment", "web"]);
  assert.match(d, /ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set web-\w+ from 0 to 3/);
  const pod = (await c.pods("default", "app=web"))[0]!;
  const p = await c.kubectlOk(["describe", "pod", pod.metadata!.name!]);
  assert.match(p, new RegExp(`Scheduled\\s+\\S+\\s+default-scheduler\\s+Successfully assigned default/${pod.metadata!.name} to ${pod.spec!.nodeName}`));
  const events = await c.kubectlOk(["get", "events"]);
  assert.match(events, /SuccessfulCreate\s+replicaset\/web-\w+\s+Created pod: web-/);
});

test("kubectl scale changes the pod count both ways", async () => {
  await c.kubectlOk(["scale", "deployment/web", "--replicas=5"]);
  await waitUntil(async () => (await c.pods("default", "app=web")).filter((p) => !p.metadata?.deletionTimestamp).length === 5, 20_000, "5 pods");
  await c.kubectlOk(["rollout", "status", "deployment/web", "--timeout=30s"]);
  await c.kubectlOk(["scale", "deployment/web", "--replicas=2"]);
  await waitUntil(async () => (await c.pods("default", "app=web")).length === 2, 20_000, "2 pods");
  const out = await c.kubectlOk(["get", "deploy", "web"]);
  assert.match(out, /web\s+2\/2\s+2\s+2/);
  const rs = (await c.pods("default", "app=web"))[0]!.metadata!.ownerReferences![0]!.name;
  const events = await c.kubectlOk(["describe", "rs", rs]);
  assert.match(events, /SuccessfulDelete\s+.*replicaset-controller\s+Deleted pod: web-/);
});

test("kubectl set image rolls out a new ReplicaSet and scales the old one to 0", async () => {
  await c.kubectlOk(["set", "image", "deployment/web", "web=nginx:1.26"]);
  assert.match(await c.kubectlOk(["rollout", "status", "deployment/web", "--timeout=30s"]), "successfully rolled out");
  const rs = JSON.parse(await c.kubectlOk(["get", "rs", "-l", "app=web", "-o", "json"])).items as any[];
  assert.is(rs.length, 2);
  const byRev = Object.fromEntries(rs.map((r) => [r.metadata.annotations["deployment.kubernetes.io/revision"], r]));
  assert.is(byRev["1"].spec.replicas, 0);
  assert.is(byRev["2"].spec.replicas, 2);
  assert.is(byRev["2"].spec.template.spec.containers[0].image, "nginx:1.26");
  const pods = await waitUntil(async () => {
    const ps = await c.pods("default", "app=web");
    return ps.every((p) => p.spec?.containers[0]?.image === "nginx:1.26") && ps.length === 2 ? ps : undefined;
  }, 20_000, "only new pods");
  assert.is(pods.length, 2);
});

test("kubectl rollout history, undo and restart behave as on a cluster", async () => {
  const history = await c.kubectlOk(["rollout", "history", "deployment/web"]);
  assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
  assert.match(await c.kubectlOk(["rollout", "undo", "deployment/web"]), "deployment.apps/web rolled back");
  await c.kubectlOk(["rollout", "status", "deployment/web", "--timeout=30s"]);
  const after = await c.kubectlOk(["rollout", "history", "deployment/web"]);
  assert.match(after, /2\s+<none>\n3\s+<none>/);
  const d = JSON.parse(await c.kubectlOk(["get", "deploy", "web", "-o", "json"]));
  assert.is(d.spec.template.spec.containers[0].image, "nginx:1.25");
  assert.is(d.metadata.annotations["deployment.kubernetes.io/revision"], "3");
  const rs = JSON.parse(await c.kubectlOk(["get", "rs", "-l", "app=web", "-o", "json"])).items as any[];
  assert.is(rs.length, 2, "undo reuses the old ReplicaSet");
  await c.kubectlOk(["rollout", "restart", "deployment/web"]);
  assert.match(await c.kubectlOk(["rollout", "status", "deployment/web", "--timeout=30s"]), "successfully rolled out");
  const rs2 = JSON.parse(await c.kubectlOk(["get", "rs", "-l", "app=web", "-o", "json"])).items as any[];
  assert.is(rs2.length, 3);
  assert.ok(rs2.some((r) => r.metadata.annotations["deployment.kubernetes.io/revision"] === "4" && r.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]));
});

test.run();
