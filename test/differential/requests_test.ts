import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startDifferential, type Differential, type Known } from "./_harness.ts";

let d: Differential | undefined;
test.before(async () => {
  d = await startDifferential("reqs");
});
test.after(async () => {
  await d?.close();
});

const ITEM_KIND: Known = { path: /^body\.items\[\d+\]\.(apiVersion|kind)$/, why: "list items keep apiVersion and kind: the embedded API sends each object's one cached serialisation; clients accept both" };
const CMS = "/api/v1/namespaces/{ns}/configmaps";
const SECRETS = "/api/v1/namespaces/{ns}/secrets";
const jsonPatch = { contentType: "application/json-patch+json" };

test("a JSON patch whose test fails, or that removes a missing member, is 422 with the real text", async () => {
  if (!d) return;
  await d.request("create", "POST", CMS, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "jp" }, data: { a: "1" } });
  const failed = await d.request("test fails", "PATCH", `${CMS}/jp`, [{ op: "test", path: "/data/a", value: "2" }], jsonPatch);
  assert.is(failed.embedded.status, 422);
  await d.request("remove missing", "PATCH", `${CMS}/jp`, [{ op: "remove", path: "/data/zz" }], jsonPatch);
  await d.request("test holds, replace applies", "PATCH", `${CMS}/jp`, [{ op: "test", path: "/data/a", value: "1" }, { op: "replace", path: "/data/a", value: "3" }], jsonPatch);
});

test("limit and continue page through a list with remainingItemCount", async () => {
  if (!d) return;
  for (const n of ["s1", "s2", "s3", "s4", "s5"]) {
    await d.request(`create ${n}`, "POST", SECRETS, { apiVersion: "v1", kind: "Secret", metadata: { name: n, labels: { page: n === "s3" ? "no" : "yes" } }, data: { k: "dg==" } });
  }
  let first = await d.request("first page", "GET", `${SECRETS}?limit=2`, undefined, { known: [ITEM_KIND] });
  assert.is((first.embedded.body as any).metadata.remainingItemCount, 3);
  const names: string[] = [];
  for (let page = 0; page < 5; page++) {
    names.push(...(first.embedded.body as any).items.map((i: any) => i.metadata.name));
    const e = (first.embedded.body as any).metadata.continue, r = (first.real.body as any).metadata.continue;
    assert.is(Boolean(e), Boolean(r), "both servers have a next page, or neither");
    if (!e) break;
    const next = { embedded: await d.embedded.request("GET", `${SECRETS}?limit=2&continue=${e}`), real: await d.real.request("GET", `${SECRETS}?limit=2&continue=${r}`) };
    d.compare(`page ${page + 2}`, next.embedded, next.real, [ITEM_KIND]);
    first = next;
  }
  assert.equal(names, ["s1", "s2", "s3", "s4", "s5"]);
  await d.request("a selector: no remainingItemCount", "GET", `${SECRETS}?limit=2&labelSelector=page%3Dyes`, undefined, { known: [ITEM_KIND] });
  await d.request("a Table page", "GET", `${SECRETS}?limit=2`, undefined, {
    headers: { accept: "application/json;as=Table;v=v1;g=meta.k8s.io" },
    known: [
      { path: /^body\.columnDefinitions\[\d+\]\.description$/, why: "column descriptions are our own words" },
          ],
  });
  await d.request("a garbage token", "GET", `${SECRETS}?limit=2&continue=garbage`, undefined, {
    known: [{ path: "body.message", why: "the real text quotes Go's JSON parser on the decoded bytes; ours says the token is not valid in our words" }],
  });
  await d.kubectl("kubectl get with --chunk-size", ["get", "secrets", "-n", "{ns}", "--chunk-size=2", "-o", "name"]);
});

test("kubectl apply -f of a kind: List file creates every item", async () => {
  if (!d) return;
  const file = join(d.test.dir, "list.yaml");
  writeFileSync(file, [
    "apiVersion: v1", "kind: List", "items:",
    "- apiVersion: v1", "  kind: ConfigMap", "  metadata: {name: l1}", "  data: {a: b}",
    "- apiVersion: v1", "  kind: Secret", "  metadata: {name: l2}", "  stringData: {c: d}", "",
  ].join("\n"));
  const r = await d.kubectl("apply a List", ["apply", "--validate=false", "-n", "{ns}", "-f", file]);
  assert.is(r.embedded.code, 0, r.embedded.stderr);
  const validated = await d.kubectl("apply a List with kubectl's default validation", ["apply", "-n", "{ns}", "-f", file]);
  assert.is(validated.embedded.code, 0, validated.embedded.stderr);
  await d.kubectl("apply it again", ["apply", "--validate=false", "-n", "{ns}", "-f", file]);
  await d.kubectl("get the items", ["get", "-n", "{ns}", "configmap/l1", "secret/l2", "-o", "name"]);
  await d.kubectl("kubectl edit-like patch by another manager", ["patch", "-n", "{ns}", "configmap/l1", "-p", '{"data":{"a":"c"}}']);
  const managers = await d.kubectl("managedFields record each manager and operation", ["get", "-n", "{ns}", "configmap/l1", "-o",
    'jsonpath={range .metadata.managedFields[*]}{.manager} {.operation} {.fieldsV1}{"\\n"}{end}']);
  assert.match(managers.embedded.stdout, /^kubectl-client-side-apply Update .*\nkubectl-patch Update \{"f:data":\{"f:a":\{\}\}\}\n$/);
});

test("a List item with an unknown field is refused by kubectl before any item is created; a multi-document file too", async () => {
  if (!d) return;
  const list = join(d.test.dir, "bad-list.yaml");
  writeFileSync(list, [
    "apiVersion: v1", "kind: List", "items:",
    "- apiVersion: v1", "  kind: ConfigMap", "  metadata: {name: before-bad}", "  data: {a: b}",
    "- apiVersion: apps/v1", "  kind: Deployment", "  metadata: {name: bad}",
    "  spec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: busybox, imagex: x}]}}}", "",
  ].join("\n"));
  const r = await d.kubectl("apply a List with a bad item", ["apply", "-n", "{ns}", "-f", list]);
  assert.is(r.embedded.code, 1);
  assert.match(r.embedded.stderr, /ValidationError\(Deployment\.spec\.template\.spec\.containers\[0\]\): unknown field "imagex"/);
  await d.kubectl("nothing of it was created", ["get", "-n", "{ns}", "configmap/before-bad", "--ignore-not-found", "-o", "name"]);
  const multi = join(d.test.dir, "multi.yaml");
  writeFileSync(multi, [
    "apiVersion: v1", "kind: ConfigMap", "metadata: {name: m1}", "data: {a: b}", "---",
    "apiVersion: v1", "kind: ConfigMap", "metadata: {name: m2}", "data: {a: b}", "bogus: 1", "",
  ].join("\n"));
  await d.kubectl("apply a multi-document file with a bad document", ["apply", "-n", "{ns}", "-f", multi]);
  await d.kubectl("its good document was created", ["get", "-n", "{ns}", "configmap", "-o", "name"]);
});

test("kubectl explain shows the schemas of the built-in kinds", async () => {
  if (!d) return;
  const descriptions: Known[] = [{ path: "stdout", why: "our OpenAPI descriptions are our own short texts; field names and types are compared below" }];
  for (const what of ["pod.spec.containers", "node.status.conditions", "deployment.spec", "configmap", "secret", "service.spec.ports"]) {
    const r = await d.kubectl(`explain ${what}`, ["explain", what], { known: descriptions });
    assert.is(r.embedded.code, 0, r.embedded.stderr);
    const fields = (out: string) => out.split("\n").filter((l) => /^  \S+\t<[^>]+>/.test(l)).map((l) => l.trim().split(/\s+-required-/)[0]);
    d.compare(`explain ${what}: field names and types`, fields(r.embedded.stdout), fields(r.real.stdout));
  }
});

test.run();
