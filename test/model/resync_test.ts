import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildResync, parseResyncContent, RESYNC_OPERATION } from "../../lib/model/index.ts";

test("buildResync() sends each object as a versioned insert, then one sync listing every key", () => {
  const msgs = buildResync("edge-1", [
    { type: "pod", object: { metadata: { name: "web", namespace: "prod", resourceVersion: "7" } } },
    { type: "configmap", object: { metadata: { name: "cfg", resourceVersion: "3" } } },
  ], { resourceVersion: "9" });
  assert.equal(msgs.map((m) => [m.route.operation, m.route.resource, m.header.resourceversion]), [
    ["insert", "node/edge-1/prod/pod/web", "7"],
    ["insert", "node/edge-1/default/configmap/cfg", "3"],
    [RESYNC_OPERATION, "node/edge-1/*/resync", ""],
  ]);
  assert.equal(msgs[2].content, { types: ["pod", "configmap", "secret", "serviceaccounttoken", "service"], keys: ["prod/pod/web", "default/configmap/cfg"], resourceVersion: "9" });
  assert.equal(parseResyncContent(msgs[2].content).keys.length, 2);
});

test("buildResync() with no objects still tells the edge to delete everything of the types", () => {
  const [sync] = buildResync("edge-1", []);
  assert.equal(sync.content, { types: ["pod", "configmap", "secret", "serviceaccounttoken", "service"], keys: [] });
});

test("parseResyncContent() rejects content that is not lists of strings", () => {
  assert.throws(() => parseResyncContent({ types: "pod", keys: [] }), TypeError);
  assert.throws(() => parseResyncContent(null), TypeError);
});

test.run();
