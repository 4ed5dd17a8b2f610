/**
 * The embedded API next to a real v1.28 control plane, with the same kubectl commands on both: what ServiceAccount
 * admission adds to a pod, the refusal of a pod whose ServiceAccount is missing, the namespace's `default`
 * ServiceAccount and `kube-root-ca.crt`, a TokenRequest's claims and the `kubectl get sa` columns.
 *
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.ts";
import { kubectl, type KubectlResult } from "../support/kubectl.ts";
import { waitUntil } from "../support/process.ts";
import { type RealK8s, useRealK8s } from "../support/realk8s.ts";

type Side = { name: string; run(args: string[]): Promise<KubectlResult> };

let real: RealK8s | undefined;
let ours: TestApiServer | undefined;
let sides: Side[] = [];
const dir = mkdtempSync(join(tmpdir(), "sa-vs-real-"));
const NS = `sa-diff-${Math.random().toString(36).slice(2, 8)}`;

test.before(async () => {
  real = await useRealK8s();
  if (!real) return;
  ours = await startTestApiServer();
  const realEnv = { kubeconfig: real.kubeconfig, home: join(dir, "home") };
  sides = [
    { name: "real", run: (args) => kubectl(realEnv, args, { timeoutMs: 30_000 }) },
    { name: "embedded", run: (args) => ours!.kubectl(args, { timeoutMs: 30_000 }) },
  ];
  for (const s of sides) {
    const r = await s.run(["create", "namespace", NS]);
    assert.is(r.code, 0, `${s.name}: ${r.stderr}`);
  }
});

test.after(async () => {
  if (real) await sides[0]?.run(["delete", "namespace", NS, "--wait=false"]);
  await ours?.close();
  await real?.release();
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, doc: object) => {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(doc));
  return path;
};

async function both(args: string[]): Promise<KubectlResult[]> {
  return Promise.all(sides.map((s) => s.run(args)));
}

/** `kube-api-access-<random>` named alike on both sides. */
const normal = (v: unknown) => JSON.parse(JSON.stringify(v ?? null).replace(/kube-api-access-[a-z0-9]{5}/g, "kube-api-access-*"));

test("admission gives the same volumes and mounts, and refuses a missing ServiceAccount with the same message", async () => {
  if (!real) return;
  // the controllers of the real cluster fill a new namespace within moments
  await waitUntil(async () => (await sides[0]!.run(["get", "sa", "-n", NS, "default"])).code === 0, 30_000, "real default ServiceAccount");
  const pod = file("pod", {
    apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: NS },
    spec: {
      initContainers: [{ name: "init", image: "busybox" }],
      containers: [
        { name: "plain", image: "busybox" },
        { name: "own", image: "busybox", volumeMounts: [{ name: "scratch", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }] },
      ],
      volumes: [{ name: "scratch", emptyDir: {} }],
    },
  });
  const [r, e] = (await both(["create", "-f", pod, "-o", "json"])).map((x) => {
    assert.is(x.code, 0, x.stderr);
    return JSON.parse(x.stdout).spec;
  });
  assert.equal(normal(e.volumes), normal(r.volumes));
  for (const key of ["initContainers", "containers"]) {
    assert.equal(normal(e[key].map((c: any) => c.volumeMounts)), normal(r[key].map((c: any) => c.volumeMounts)), key);
  }
  assert.equal([e.serviceAccountName, e.serviceAccount, e.enableServiceLinks], [r.serviceAccountName, r.serviceAccount, r.enableServiceLinks]);

  const missing = file("missing", { apiVersion: "v1", kind: "Pod", metadata: { name: "m", namespace: NS }, spec: { serviceAccountName: "nope", containers: [{ name: "c", image: "busybox" }] } });
  const [rm, em] = await both(["create", "-f", missing]);
  assert.is(em!.stderr.replace(/"[^"]*missing.json"/, "F"), rm!.stderr.replace(/"[^"]*missing.json"/, "F"));
});

test("kube-root-ca.crt, the default ServiceAccount and `kubectl get sa` look the same", async () => {
  if (!real) return;
  const [r, e] = (await both(["get", "configmap", "-n", NS, "kube-root-ca.crt", "-o", "json"])).map((x) => JSON.parse(x.stdout));
  assert.equal(e.metadata.annotations, r.metadata.annotations);
  assert.equal(Object.keys(e.data), Object.keys(r.data));
  const [rs, es] = (await both(["get", "sa", "-n", NS])).map((x) => x.stdout.split("\n")[0]!.split(/\s+/).filter(Boolean));
  assert.equal(es, rs);
  const [rd, ed] = (await both(["get", "sa", "-n", NS, "default", "-o", "json"])).map((x) => JSON.parse(x.stdout));
  assert.equal(Object.keys(ed).sort(), Object.keys(rd).sort());
});

test("a TokenRequest bound to a pod carries the same claims", async () => {
  if (!real) return;
  const claims: any[] = [];
  for (const s of sides) {
    const uid = JSON.parse((await s.run(["get", "pod", "-n", NS, "p", "-o", "json"])).stdout).metadata.uid;
    const req = file(`tr-${s.name}`, {
      apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest",
      spec: { expirationSeconds: 3607, boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "p", uid } },
    });
    const r = await s.run(["create", "--raw", `/api/v1/namespaces/${NS}/serviceaccounts/default/token`, "-f", req]);
    assert.is(r.code, 0, `${s.name}: ${r.stderr}`);
    const tr = JSON.parse(r.stdout);
    const c = JSON.parse(Buffer.from(tr.status.token.split(".")[1], "base64url").toString("utf8"));
    claims.push({ keys: Object.keys(c).sort(), k8s: Object.keys(c["kubernetes.io"]).sort(), sub: c.sub, iss: c.iss, aud: c.aud, life: c.exp - c.iat, spec: tr.spec });
  }
  claims[1].spec.boundObjectRef.uid = claims[0].spec.boundObjectRef.uid;
  assert.equal(claims[1], claims[0]);
});

test.run();
