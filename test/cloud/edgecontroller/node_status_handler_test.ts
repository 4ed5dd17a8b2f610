/**
 * The nodestatus handler after a Node was deleted while its node was linked: a report still in flight on that link
 * (the revocation closes it a moment later) must not register the Node again; after the node links anew it does. The
 * race itself lasts milliseconds over loopback, so the handler is driven directly with an API that records calls.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { V1Node } from "@kubernetes/client-node";
import { ForbiddenError, makeHandlers, type UpstreamDeps } from "../../../lib/cloud/edgecontroller/handlers/index.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { parseResource } from "../../../lib/model/index.ts";
import { goodStatus } from "../../security/_hostile.ts";

function setup() {
  const created: string[] = [];
  const nodes = new Map<string, V1Node>();
  const api = {
    getNode: async (name: string) => nodes.get(name),
    createNode: async (body: V1Node) => {
      created.push(body.metadata!.name!);
      nodes.set(body.metadata!.name!, body);
    },
    patchNode: async () => undefined,
    patchNodeStatus: async () => undefined,
    renewLease: async () => undefined,
  };
  const deletedWhileLinked = new Set<string>();
  const deps = {
    api, caches: { nodes: { get: () => undefined } }, log: silentLogger, leaseDurationSeconds: 40, deletedWhileLinked,
  } as unknown as UpstreamDeps;
  const handle = makeHandlers(deps)["update:nodestatus"];
  const report = (node: string) => handle({ content: goodStatus(node) } as never, node, parseResource(`default/nodestatus/${node}`));
  return { created, deletedWhileLinked, report };
}

test("a report from a node deleted while linked does not register it again; one after it links anew does", async () => {
  const { created, deletedWhileLinked, report } = setup();
  deletedWhileLinked.add("edge-1");
  try {
    await report("edge-1");
    assert.unreachable("the report should be refused");
  } catch (e) {
    assert.instance(e, ForbiddenError);
    assert.match((e as Error).message, /edge-1.*deleted while linked/);
  }
  assert.equal(created, []);
  await report("edge-2");
  assert.equal(created, ["edge-2"], "other nodes register as before");
  deletedWhileLinked.delete("edge-1"); // what EdgeController does when edge-1 links again
  await report("edge-1");
  assert.equal(created, ["edge-2", "edge-1"]);
});

test.run();
