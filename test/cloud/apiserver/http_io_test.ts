import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeObject, mediaType, wantsTable } from "../../../lib/cloud/apiserver/http_io.ts";

test("wantsTable() recognises kubectl's Table Accept header only", () => {
  assert.ok(wantsTable("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"));
  assert.not.ok(wantsTable("application/json"));
  assert.not.ok(wantsTable(undefined));
  assert.not.ok(wantsTable("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io"));
});

test("decodeObject() reads JSON, YAML and the protobuf of kubectl create configmap", () => {
  assert.equal(decodeObject(Buffer.from('{"a":1}'), "application/json; charset=utf-8"), { a: 1 });
  assert.equal(decodeObject(Buffer.from("a: 1\n"), "application/yaml"), { a: 1 });
  // kubectl create configmap c2 --from-literal=x=y sends protobuf: "k8s\0" + Unknown{typeMeta, raw ConfigMap}.
  const field = (n: number, bytes: Buffer) => Buffer.concat([Buffer.from([(n << 3) | 2, bytes.length]), bytes]);
  const typeMeta = Buffer.concat([field(1, Buffer.from("v1")), field(2, Buffer.from("ConfigMap"))]);
  const raw = Buffer.concat([field(1, field(1, Buffer.from("c2"))), field(2, Buffer.concat([field(1, Buffer.from("x")), field(2, Buffer.from("y"))]))]);
  const pb = Buffer.concat([Buffer.from("k8s\0", "binary"), field(1, typeMeta), field(2, raw)]);
  const decoded = decodeObject(pb, "application/vnd.kubernetes.protobuf") as Record<string, unknown>;
  assert.equal(decoded, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c2" }, data: { x: "y" } });
});

test("decodeObject() answers 400 for bad JSON and 415 for other media types", () => {
  assert.throws(() => decodeObject(Buffer.from("{"), "application/json"), (e: any) => e.code === 400);
  assert.throws(() => decodeObject(Buffer.from("x"), "text/plain"), (e: any) => e.code === 415);
  assert.is(mediaType("Application/JSON; charset=utf-8"), "application/json");
});

test.run();
