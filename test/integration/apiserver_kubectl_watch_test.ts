import { test } from "uvu";
import * as assert from "uvu/assert";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.ts";
import { startKubectl } from "../support/kubectl.ts";
import { runningStatus, simplePod } from "../support/objects.ts";
import { waitUntil } from "../support/process.ts";

let t: TestApiServer;
const json = { "content-type": "application/json" };
const post = async (path: string, body: object) => {
  const r = await t.request("POST", path, { headers: json, body: JSON.stringify(body) });
  assert.is(r.status, 201, r.text);
  return r.json();
};
const mergeStatus = async (name: string, body: object) => {
  const r = await t.request("PATCH", `/api/v1/namespaces/default/pods/${name}/status`, { headers: { "content-type": "application/merge-patch+json" }, body: JSON.stringify(body) });
  assert.is(r.status, 200, r.text);
};
test.before(async () => {
  t = await startTestApiServer({ podDeletionTimeoutMs: 300 });
});
test.after(async () => {
  await t.close();
});

test("kubectl get pods -w prints the header once, then a row per event, and stays open", async () => {
  const w = startKubectl(t.env, ["get", "pods", "-w"]);
  let out = "", err = "";
  w.stdout!.on("data", (d) => (out += d));
  w.stderr!.on("data", (d) => (err += d));
  try {
    await post("/api/v1/namespaces/default/pods", simplePod("watched", { nodeName: "edge-node-1" }));
    await waitUntil(() => /watched\s+0\/1\s+Pending/.test(out), 15_000, "kubectl to show watched 0/1 Pending");
    await mergeStatus("watched", runningStatus("172.17.0.9"));
    await waitUntil(() => /watched\s+1\/1\s+Running/.test(out), 15_000, "kubectl to show watched 1/1 Running");
    assert.is(out.split("\n").filter((l) => l.startsWith("NAME")).length, 1);
    assert.is(w.exitCode, null);
  } finally {
    w.kill();
  }
});

test("kubectl wait --for=condition=Ready returns once the status says Ready, and times out otherwise", async () => {
  await post("/api/v1/namespaces/default/pods", simplePod("slow", { nodeName: "edge-node-1" }));
  const timedOut = await t.kubectl(["wait", "--for=condition=Ready", "pod/slow", "--timeout=1s"]);
  assert.is(timedOut.code, 1);
  assert.is(timedOut.stderr, "error: timed out waiting for the condition on pods/slow\n");
  // -v=6 logs each request once answered: the status changes only after kubectl's watch is open, so the test
  // shows that kubectl wait returns on the change and not on its first read
  const waiting = startKubectl(t.env, ["wait", "--for=condition=Ready", "pod/slow", "--timeout=20s", "-v=6"]);
  waiting.stdin!.end();
  let out = "", err = "";
  waiting.stdout!.on("data", (d) => (out += d));
  waiting.stderr!.on("data", (d) => (err += d));
  const exited = new Promise<number | null>((r) => waiting.on("close", r));
  try {
    await waitUntil(() => /GET \S*pods\?\S*watch=true\S* 200 OK/.test(err), 15_000, "kubectl wait to watch pod/slow");
    await mergeStatus("slow", runningStatus("172.17.0.10"));
    assert.is(await exited, 0, err);
  } finally {
    waiting.kill();
  }
  assert.is(out, "pod/slow condition met\n", err);
  const missing = await t.kubectl(["wait", "--for=condition=Ready", "pod/none", "--timeout=2s"]);
  assert.is(missing.stderr, 'Error from server (NotFound): pods "none" not found\n');
});

test("kubectl delete of a bound pod waits until the node confirms with grace period 0", async () => {
  await post("/api/v1/namespaces/default/pods", simplePod("bound", { nodeName: "edge-node-1" }));
  const deleting = t.kubectl(["delete", "pod", "bound"]);
  let marked: any;
  await waitUntil(async () => (marked = (await t.request("GET", "/api/v1/namespaces/default/pods/bound")).json()).metadata.deletionTimestamp !== undefined, 15_000, "pod bound marked for deletion");
  assert.is(marked.metadata.deletionGracePeriodSeconds, 30);
  const table = await t.kubectl(["get", "pod", "bound"]);
  assert.match(table.stdout, /bound\s+0\/1\s+Terminating/);
  // The node stops the containers, then confirms.
  const confirm = await t.request("DELETE", "/api/v1/namespaces/default/pods/bound", { headers: json, body: JSON.stringify({ gracePeriodSeconds: 0 }) });
  assert.is(confirm.status, 200);
  const done = await deleting;
  assert.is(done.stdout, 'pod "bound" deleted\n', done.stderr);
  assert.is(done.code, 0);
});

test("a terminating pod whose node never confirms is removed after its grace period plus the timeout", async () => {
  await post("/api/v1/namespaces/default/pods", simplePod("orphaned", { nodeName: "gone-node" }));
  const started = Date.now();
  const r = await t.kubectl(["delete", "pod", "orphaned", "--grace-period=1"]);
  assert.is(r.stdout, 'pod "orphaned" deleted\n', r.stderr);
  assert.ok(Date.now() - started >= 1000);
  const forced = await t.kubectl(["delete", "pod", "watched", "--grace-period=0", "--force"]);
  assert.is(forced.stdout, 'pod "watched" force deleted\n');
});

test.run();
