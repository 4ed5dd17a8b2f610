import { test } from "uvu";
import * as assert from "uvu/assert";
import { startDifferential, type Differential, type Known } from "./_harness.ts";

let d: Differential | undefined;
// CRDs are cluster-scoped: a random group keeps runs apart on the shared real control plane.
const group = `d${Math.random().toString(16).slice(2, 8)}.example.com`;
const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
test.before(async () => {
  d = await startDifferential("crd");
});
test.after(async () => {
  if (d) for (const side of [d.embedded, d.real]) for (const p of ["widgets"]) await side.request("DELETE", `${CRDS}/${p}.${group}`);
  await d?.close();
});

const crd = (plural: string, schema: unknown, versions = 1) => ({
  apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: `${plural}.${group}` },
  spec: {
    group, scope: "Namespaced", names: { plural, kind: plural[0]!.toUpperCase() + plural.slice(1, -1) },
    versions: Array.from({ length: versions }, (_, i) => ({
      name: `v${i + 1}`, served: true, storage: i === 0, ...(schema === undefined ? {} : { schema: { openAPIV3Schema: schema } }),
    })),
  },
});

test("a CRD with x-kubernetes-preserve-unknown-fields inside a properties map is refused with the real message", async () => {
  if (!d) return;
  // The mistake: the extension written as if it were a property, so `properties` maps a name to `true`.
  const broken = crd("brokens", { type: "object", properties: { spec: { type: "object", properties: { "x-kubernetes-preserve-unknown-fields": true } } } });
  const r = await d.request("broken CRD", "POST", CRDS, broken);
  assert.is(r.embedded.status, 400);
  assert.match(String((r.embedded.body as any).message), /cannot unmarshal bool into Go struct field JSONSchemaProps\.spec\.versions\.schema\.openAPIV3Schema\.properties\.properties of type v1\.JSONSchemaProps/);
});

test("structural schema rules", async () => {
  if (!d) return;
  await d.request("property without a type", "POST", CRDS, crd("notypes", { type: "object", properties: { spec: { properties: { a: { type: "string" } } } } }));
  await d.request("version without a schema", "POST", CRDS, crd("noschemas", undefined));
  await d.request("unsupported type", "POST", CRDS, crd("badtypes", { type: "object", properties: { spec: { type: "thing" } } }));
  await d.request("root without a type", "POST", CRDS, crd("toptypes", { properties: { spec: { type: "object" } } }));
  await d.request("array items without a type", "POST", CRDS, crd("noitems", { type: "object", properties: { list: { type: "array", items: { description: "x" } } } }));
  await d.request("two versions sharing a bad schema", "POST", CRDS, crd("twos", { type: "object", properties: { a: {} } }, 2));
});

test("a structural CRD is accepted, with the names and conversion the real API defaults", async () => {
  if (!d) return;
  const ok = crd("widgets", { type: "object", properties: { spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } });
  const differ: Known[] = [
    { path: "body.metadata.managedFields", why: "the CRD's status is the server's own write on a real cluster; ours is set in the same write, so it shows in the creator's field set" },
    { path: "body.status", why: "the real apiserver sets the CRD's conditions asynchronously; the embedded one at once" },
  ];
  const r = await d.request("valid CRD", "POST", CRDS, ok, { known: differ });
  assert.is(r.embedded.status, 201);
});

test.run();
