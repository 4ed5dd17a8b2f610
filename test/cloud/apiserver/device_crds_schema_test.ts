import { test } from "uvu";
import * as assert from "uvu/assert";
import * as yaml from "js-yaml";
import { DEVICE_CRD_MANIFESTS } from "../../../lib/cloud/apiserver/device_crds.ts";

// A real kube-apiserver decodes openAPIV3Schema into typed schema structs: every value of a `properties` map and
// every `items` must be a schema object, or `kubectl apply -f conf/crds/` fails ("cannot unmarshal bool into ...
// openAPIV3Schema.properties.properties"). The embedded API does not decode them that way, so this checks the shape
// without a cluster; test/realk8s/conf_test.ts applies them to the real one.

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

function shapeErrors(schema: unknown, path: string): string[] {
  if (!isObject(schema)) return [`${path}: expected a schema object, got ${JSON.stringify(schema)}`];
  const errors: string[] = [];
  if ("properties" in schema) {
    if (!isObject(schema.properties)) errors.push(`${path}.properties: expected a map of schemas`);
    else for (const [k, v] of Object.entries(schema.properties)) errors.push(...shapeErrors(v, `${path}.properties.${k}`));
  }
  if ("items" in schema) errors.push(...shapeErrors(schema.items, `${path}.items`));
  if ("additionalProperties" in schema && typeof schema.additionalProperties !== "boolean") errors.push(...shapeErrors(schema.additionalProperties, `${path}.additionalProperties`));
  return errors;
}

test("every schema in the device CRDs has the shape a real kube-apiserver decodes", () => {
  for (const [file, text] of Object.entries(DEVICE_CRD_MANIFESTS)) {
    const crd = yaml.load(text) as { spec: { versions: { name: string; schema: { openAPIV3Schema: unknown } }[] } };
    for (const v of crd.spec.versions) {
      assert.equal(shapeErrors(v.schema.openAPIV3Schema, `${file} ${v.name} openAPIV3Schema`), []);
    }
  }
});

test.run();
