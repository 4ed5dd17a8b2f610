import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseRoute } from "../../../lib/cloud/apiserver/route.ts";

test("parseRoute() reads namespaced objects and their subresources", () => {
  assert.equal(parseRoute("/api/v1/namespaces/default/pods/web/log"), {
    type: "resource", group: "", version: "v1", resource: "pods", namespace: "default", name: "web", subresource: "log", watchPath: false,
  });
  assert.equal(parseRoute("/apis/apps/v1/namespaces/ns1/deployments"), {
    type: "resource", group: "apps", version: "v1", resource: "deployments", namespace: "ns1", name: undefined, subresource: undefined, watchPath: false,
  });
});

test("parseRoute() tells a Namespace object from a namespaced path", () => {
  assert.equal(parseRoute("/api/v1/namespaces/demo"), {
    type: "resource", group: "", version: "v1", resource: "namespaces", name: "demo", subresource: undefined, watchPath: false,
  });
  assert.equal(parseRoute("/api/v1/namespaces/demo/status"), {
    type: "resource", group: "", version: "v1", resource: "namespaces", name: "demo", subresource: "status", watchPath: false,
  });
  assert.is((parseRoute("/api/v1/namespaces/demo/pods") as { namespace?: string }).namespace, "demo");
});

test("parseRoute() reads cluster-wide lists and the /watch/ form", () => {
  assert.equal(parseRoute("/api/v1/pods"), {
    type: "resource", group: "", version: "v1", resource: "pods", name: undefined, subresource: undefined, watchPath: false,
  });
  assert.is((parseRoute("/api/v1/watch/namespaces/default/pods") as { watchPath: boolean }).watchPath, true);
});

test("parseRoute() names discovery, OpenAPI and health endpoints", () => {
  assert.equal(parseRoute("/api"), { type: "apiVersions" });
  assert.equal(parseRoute("/apis"), { type: "apiGroups" });
  assert.equal(parseRoute("/apis/apps"), { type: "apiGroup", group: "apps" });
  assert.equal(parseRoute("/apis/apps/v1"), { type: "resourceList", group: "apps", version: "v1" });
  assert.equal(parseRoute("/api/v1"), { type: "resourceList", group: "", version: "v1" });
  assert.equal(parseRoute("/openapi/v3"), { type: "openapiIndex" });
  assert.equal(parseRoute("/openapi/v3/apis/apps/v1"), { type: "openapiDoc", group: "apps", version: "v1" });
  assert.equal(parseRoute("/openapi/v3/api/v1"), { type: "openapiDoc", group: "", version: "v1" });
  assert.equal(parseRoute("/openapi/v2"), { type: "openapiV2" });
  assert.equal(parseRoute("/readyz"), { type: "health", check: "readyz" });
  assert.equal(parseRoute("/version"), { type: "version" });
  assert.equal(parseRoute("/metrics"), { type: "unknown" });
  assert.equal(parseRoute("/api/v2/pods"), { type: "unknown" });
});

test.run();
