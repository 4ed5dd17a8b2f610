import { test } from "uvu";
import * as assert from "uvu/assert";
import { startDifferential, type Differential, type Known } from "./_harness.ts";

let d: Differential | undefined;
test.before(async () => {
  d = await startDifferential("apply");
});
test.after(async () => {
  await d?.close();
});

const APPLY = { contentType: "application/apply-patch+yaml" };
const DEPLOYS = "/apis/apps/v1/namespaces/{ns}/deployments";
const deploy = (replicas: number) => ({
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" },
  spec: { replicas, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "busybox" }] } } },
});
// What a successful apply returns differs beyond managedFields: status and defaults are the controllers' and the
// defaulting's business (compared in their own tests), not server-side apply's.
const OBJECT: Known[] = [
  { path: "body.metadata.managedFields", why: "field sets of Apply entries differ in `.` on struct fields (see lib/kube/server_side_apply.ts)" },
  { path: "body.metadata.annotations", why: "the real deployment controller annotates the revision asynchronously" },
  { path: "body.status", why: "deployment status is written by each side's controller at its own pace" },
  { path: "body.spec.template.metadata.creationTimestamp", why: "Go serialises the template's zero creationTimestamp as null; we leave it out" },
  { path: "body.metadata.generation", why: "the real controller may have written status (no generation change) by then; ours too; compared elsewhere" },
];

test("server-side apply: a second manager changing an owned field gets 409 naming it, force takes it", async () => {
  if (!d) return;
  const first = await d.request("first manager applies", "PATCH", `${DEPLOYS}/web?fieldManager=mgr`, deploy(2), { ...APPLY, known: OBJECT });
  assert.is(first.embedded.status, 201);
  const same = await d.request("second manager applies the same value", "PATCH", `${DEPLOYS}/web?fieldManager=other`, deploy(2), { ...APPLY, known: OBJECT });
  assert.is(same.embedded.status, 200);
  const conflict = await d.request("a third manager changes replicas both own", "PATCH", `${DEPLOYS}/web?fieldManager=late`, deploy(5), {
    ...APPLY, known: [{ path: /^body\.details\.causes\[\d\]\.message$/, why: "the real server lists causes in Go map order, which is not fixed" }],
  });
  assert.is(conflict.embedded.status, 409);
  assert.is((conflict.embedded.body as any).message, 'Apply failed with 2 conflicts: conflicts with "mgr":\n- .spec.replicas\nconflicts with "other":\n- .spec.replicas');
  const forced = await d.request("forced", "PATCH", `${DEPLOYS}/web?fieldManager=late&force=true`, deploy(5), { ...APPLY, known: OBJECT });
  assert.is((forced.embedded.body as any).spec.replicas, 5);
  await d.request("no fieldManager", "PATCH", `${DEPLOYS}/web`, deploy(5), APPLY);
});

test.run();
