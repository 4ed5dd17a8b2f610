import { test } from "uvu";
import * as assert from "uvu/assert";
import { waitUntil } from "../support/process.ts";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.ts";

let t: TestApiServer;
test.before(async () => {
  t = await startTestApiServer();
});
test.after(async () => {
  await t.close();
});

const NS = `sa-${Math.random().toString(36).slice(2, 8)}`;
const json = (v: unknown) => ({ body: JSON.stringify(v), headers: { "content-type": "application/json" } });
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));
const pod = (name: string, spec: object = {}) => ({
  apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { containers: [{ name: "c", image: "busybox" }], ...spec },
});

test("a new namespace gets the default ServiceAccount and kube-root-ca.crt, and both come back when deleted", async () => {
  assert.is((await t.request("POST", "/api/v1/namespaces", json({ metadata: { name: NS } }))).status, 201);
  const sa = async () => (await t.request("GET", `/api/v1/namespaces/${NS}/serviceaccounts/default`)).status === 200;
  const cm = async () => (await t.request("GET", `/api/v1/namespaces/${NS}/configmaps/kube-root-ca.crt`)).json();
  await waitUntil(sa, 5000, "default ServiceAccount");
  const ca = await cm();
  assert.is(ca.data["ca.crt"], t.api.caPem);
  assert.match(ca.metadata.annotations["kubernetes.io/description"], /^Contains a CA bundle/);
  for (const system of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
    assert.is((await t.request("GET", `/api/v1/namespaces/${system}/configmaps/kube-root-ca.crt`)).status, 200, system);
  }

  assert.is((await t.request("DELETE", `/api/v1/namespaces/${NS}/serviceaccounts/default`)).status, 200);
  assert.is((await t.request("DELETE", `/api/v1/namespaces/${NS}/configmaps/kube-root-ca.crt`)).status, 200);
  await waitUntil(sa, 5000, "default ServiceAccount re-created");
  await waitUntil(async () => (await cm()).data?.["ca.crt"] === t.api.caPem, 5000, "kube-root-ca.crt re-created");
  // an edit is undone, as the real root CA publisher does
  const edited = await cm();
  edited.data["ca.crt"] = "tampered";
  assert.is((await t.request("PUT", `/api/v1/namespaces/${NS}/configmaps/kube-root-ca.crt`, json(edited))).status, 200);
  await waitUntil(async () => (await cm()).data["ca.crt"] === t.api.caPem, 5000, "kube-root-ca.crt restored");
});

test("ServiceAccount admission adds the kube-api-access volume and mount like the real apiserver", async () => {
  const res = await t.request("POST", `/api/v1/namespaces/${NS}/pods`, json(pod("p1", { initContainers: [{ name: "i", image: "busybox" }] })));
  assert.is(res.status, 201, res.text);
  const spec = res.json().spec;
  assert.is(spec.serviceAccountName, "default");
  assert.is(spec.enableServiceLinks, true);
  assert.is(spec.volumes.length, 1);
  const volume = spec.volumes[0];
  assert.match(volume.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  // the shape `kubectl get pod -o yaml` shows on a v1.28 control plane
  assert.equal(volume.projected, {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
      { configMap: { items: [{ key: "ca.crt", path: "ca.crt" }], name: "kube-root-ca.crt" } },
      { downwardAPI: { items: [{ fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" }, path: "namespace" }] } },
    ],
  });
  for (const c of [...spec.containers, ...spec.initContainers]) {
    assert.equal(c.volumeMounts, [{ mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", name: volume.name, readOnly: true }]);
  }
});

test("ServiceAccount admission honours automountServiceAccountToken and refuses a missing ServiceAccount", async () => {
  const off = await t.request("POST", `/api/v1/namespaces/${NS}/pods`, json(pod("p2", { automountServiceAccountToken: false })));
  assert.is(off.status, 201);
  assert.is(off.json().spec.volumes, undefined);
  await t.request("POST", `/api/v1/namespaces/${NS}/serviceaccounts`, json({ metadata: { name: "quiet" }, automountServiceAccountToken: false }));
  const quiet = await t.request("POST", `/api/v1/namespaces/${NS}/pods`, json(pod("p3", { serviceAccountName: "quiet" })));
  assert.is(quiet.json().spec.volumes, undefined);
  const missing = await t.request("POST", `/api/v1/namespaces/${NS}/pods`, json(pod("p4", { serviceAccountName: "nope" })));
  assert.is(missing.status, 403);
  // the real message, word for word
  assert.is(missing.json().message, `pods "p4" is forbidden: error looking up service account ${NS}/nope: serviceaccount "nope" not found`);
});

test("TokenRequest returns a JWT bound to the pod that authenticates as the ServiceAccount", async () => {
  const p1 = (await t.request("GET", `/api/v1/namespaces/${NS}/pods/p1`)).json();
  const sa = (await t.request("GET", `/api/v1/namespaces/${NS}/serviceaccounts/default`)).json();
  const before = Math.floor(Date.now() / 1000);
  const res = await t.request("POST", `/api/v1/namespaces/${NS}/serviceaccounts/default/token`, json({
    apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest",
    spec: { expirationSeconds: 3607, boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "p1", uid: p1.metadata.uid } },
  }));
  assert.is(res.status, 201, res.text);
  const tr = res.json();
  assert.is(tr.kind, "TokenRequest");
  assert.equal(tr.spec.audiences, ["https://kubernetes.default.svc.cluster.local"]);
  const claims = claimsOf(tr.status.token);
  assert.is(claims.sub, `system:serviceaccount:${NS}:default`);
  // the kubelet's 3607 s token of the API audience lives a year and warns after 3607 s, as on a real v1.28 apiserver
  assert.is(claims.exp - claims.iat, 365 * 24 * 3600);
  assert.ok(claims.iat >= before);
  assert.is(Date.parse(tr.status.expirationTimestamp) / 1000, claims.iat + 3607);
  assert.equal(claims["kubernetes.io"], {
    namespace: NS, pod: { name: "p1", uid: p1.metadata.uid }, serviceaccount: { name: "default", uid: sa.metadata.uid }, warnafter: claims.iat + 3607,
  });

  // as a bearer credential: discovery works, resources are forbidden like for an unbound ServiceAccount under RBAC
  const token = tr.status.token as string;
  assert.is((await t.request("GET", "/api", { token })).status, 200);
  const list = await t.request("GET", `/api/v1/namespaces/${NS}/pods`, { token });
  assert.is(list.status, 403);
  assert.is(list.json().message, `pods is forbidden: User "system:serviceaccount:${NS}:default" cannot list resource "pods" in API group "" in the namespace "${NS}"`);
  // a forged signature or a token whose pod is gone is no credential
  assert.is((await t.request("GET", "/api", { token: token.slice(0, -4) + "AAAA" })).status, 401);
  assert.is((await t.request("DELETE", `/api/v1/namespaces/${NS}/pods/p1?gracePeriodSeconds=0`)).status, 200);
  await waitUntil(async () => (await t.request("GET", `/api/v1/namespaces/${NS}/pods/p1`)).status === 404, 5000, "p1 gone");
  assert.is((await t.request("GET", "/api", { token })).status, 401);
});

test("TokenRequest validates like the real one", async () => {
  const path = `/api/v1/namespaces/${NS}/serviceaccounts/default/token`;
  const short = await t.request("POST", path, json({ spec: { expirationSeconds: 599 } }));
  assert.is(short.status, 422);
  // kubectl shows `The TokenRequest "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration
  // less than 10 minutes` against v1.28, built from these details (an empty name is left out, as Go's omitempty does)
  assert.equal(short.json().details, {
    group: "authentication.k8s.io", kind: "TokenRequest",
    causes: [{ reason: "FieldValueInvalid", field: "spec.expirationSeconds", message: "Invalid value: 599: may not specify a duration less than 10 minutes" }],
  });
  const noSa = await t.request("POST", `/api/v1/namespaces/${NS}/serviceaccounts/nope/token`, json({ spec: {} }));
  assert.is(noSa.status, 404);
  assert.is(noSa.json().message, `serviceaccounts "nope" not found`);
  const noPod = await t.request("POST", path, json({ spec: { boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "ghost" } } }));
  assert.is(noPod.status, 404);
  assert.is(noPod.json().message, `pods "ghost" not found`);
  const plain = await t.request("POST", path, json({ spec: { audiences: ["a", "b"] } }));
  assert.is(Date.parse(plain.json().status.expirationTimestamp) / 1000, claimsOf(plain.json().status.token).exp);
  assert.equal(claimsOf(plain.json().status.token).aud, ["a", "b"]);
  assert.is(claimsOf(plain.json().status.token).exp - claimsOf(plain.json().status.token).iat, 3600);
});

test("discovery lists serviceaccounts/token and kubectl gets ServiceAccount columns NAME SECRETS AGE", async () => {
  const list = (await t.request("GET", "/api/v1")).json();
  const token = list.resources.find((r: any) => r.name === "serviceaccounts/token");
  assert.equal({ kind: token.kind, group: token.group, version: token.version, verbs: token.verbs }, {
    kind: "TokenRequest", group: "authentication.k8s.io", version: "v1", verbs: ["create"],
  });
  const table = (await t.request("GET", `/api/v1/namespaces/${NS}/serviceaccounts`, {
    headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" },
  })).json();
  assert.equal(table.columnDefinitions.map((c: any) => c.name), ["Name", "Secrets", "Age"]);
  assert.equal(table.rows.map((r: any) => r.cells.slice(0, 2)), [["default", 0], ["quiet", 0]]);
});

test.run();
