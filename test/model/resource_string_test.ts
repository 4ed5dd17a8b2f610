import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildResource, fromCloudResource, parseResource, toCloudResource } from "../../lib/model/index.ts";

test("parseResource() splits namespace, type and name", () => {
  assert.equal(parseResource("default/pod/nginx"), { namespace: "default", type: "pod", name: "nginx" });
  assert.equal(parseResource("default/podstatus"), { namespace: "default", type: "podstatus", name: "" });
  assert.equal(parseResource("kube-system/configmap/a/b"), { namespace: "kube-system", type: "configmap", name: "a/b" });
});

test("parseResource() gives unnamespaced resources an empty namespace", () => {
  assert.equal(parseResource("membership"), { namespace: "", type: "membership", name: "" });
  assert.equal(parseResource("device/dht11/twin/edge_updated"), { namespace: "", type: "device", name: "dht11/twin/edge_updated" });
  assert.equal(parseResource("node"), { namespace: "", type: "node", name: "" });
});

test("parseResource() rejects strings without a type", () => {
  for (const bad of ["", "default", "/pod/x", "default//x"]) assert.throws(() => parseResource(bad), /Cannot parse resource/, bad);
});

test("buildResource() is the inverse of parseResource()", () => {
  for (const s of ["default/pod/nginx", "default/podstatus", "membership", "device/d1/state"]) {
    const r = parseResource(s);
    assert.is(buildResource(r.namespace, r.type, r.name), s);
  }
});

test("toCloudResource() and fromCloudResource() add and strip the node prefix", () => {
  const c = toCloudResource("edge-1", "default/pod/x");
  assert.is(c, "node/edge-1/default/pod/x");
  assert.equal(fromCloudResource(c), { node: "edge-1", resource: "default/pod/x" });
  assert.throws(() => fromCloudResource("default/pod/x"), /node\/<node>/);
});

test.run();
