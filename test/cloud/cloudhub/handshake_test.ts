import type { IncomingMessage } from "node:http";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkUpgrade, HandshakeRefusal, type HubView } from "../../../lib/cloud/cloudhub/handshake.ts";

function req(url: string, cn: string | undefined, authorized = true, headers: Record<string, string> = {}): IncomingMessage {
  const socket = {
    authorized,
    authorizationError: authorized ? null : "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    getPeerCertificate: () => (cn === undefined ? {} : { subject: { CN: cn }, valid_from: "Dec  6 10:00:00 2026 GMT", valid_to: "Dec  6 11:00:00 2027 GMT" }),
  };
  return { url, headers, socket } as unknown as IncomingMessage;
}

const hub = (connected: string[] = [], nodeLimit = 10, revoked: string[] = []): HubView => ({
  ready: true,
  nodeLimit,
  connectedCount: () => connected.length,
  isConnected: (n) => connected.includes(n),
  // a year's certificate signed at 11:00 starts an hour early; issued at the earliest a second before 11:00
  isRevoked: (n, issuedAtMs) => revoked.includes(n) && issuedAtMs === Date.parse("2026-12-06T10:59:59Z"),
});

function refusal(f: () => unknown): HandshakeRefusal {
  try {
    f();
  } catch (e) {
    assert.instance(e, HandshakeRefusal);
    return e as HandshakeRefusal;
  }
  throw new Error("expected a refusal");
}

test("checkUpgrade() accepts a node whose certificate CN equals the node in the path", () => {
  const ctx = checkUpgrade(req("/proj/edge-1/events", "edge-1"), hub());
  assert.is(ctx.node, "edge-1");
  assert.is(ctx.project, "proj");
});

test("checkUpgrade() refuses with 403 and the refusal 'revoked' a revoked certificate, passing when it was issued", () => {
  const r = refusal(() => checkUpgrade(req("/proj/edge-1/events", "edge-1"), hub([], 10, ["edge-1"])));
  assert.is(r.status, 403);
  assert.is(r.step, "checkRevoked");
  assert.is(r.refusal, "revoked");
  assert.is(checkUpgrade(req("/proj/edge-2/events", "edge-2"), hub([], 10, ["edge-1"])).node, "edge-2");
});

test("checkUpgrade() refuses with 403 a certificate for another node", () => {
  const r = refusal(() => checkUpgrade(req("/proj/edge-1/events", "edge-2"), hub()));
  assert.is(r.status, 403);
  assert.is(r.step, "checkCertificate");
  assert.match(r.message, /for node "edge-2", not "edge-1"/);
});

test("checkUpgrade() refuses with 403 an untrusted or missing certificate", () => {
  assert.is(refusal(() => checkUpgrade(req("/p/edge-1/events", "edge-1", false), hub())).status, 403);
  assert.is(refusal(() => checkUpgrade(req("/p/edge-1/events", undefined), hub())).status, 403);
});

test("checkUpgrade() refuses with 404 a path that is not /<project>/<node>/events", () => {
  const r = refusal(() => checkUpgrade(req("/edge-1/events", "edge-1"), hub()));
  assert.is(r.status, 404);
  assert.is(r.step, "parsePath");
});

test("checkUpgrade() refuses with 429 a new node over the limit but lets a connected node reconnect", () => {
  const full = hub(["a", "b"], 2);
  assert.is(refusal(() => checkUpgrade(req("/p/c/events", "c"), full)).status, 429);
  assert.is(checkUpgrade(req("/p/a/events", "a"), full).node, "a");
});

test("checkUpgrade() refuses with 400 a node_id header that contradicts the path", () => {
  assert.is(refusal(() => checkUpgrade(req("/p/a/events", "a", true, { node_id: "b" }), hub())).status, 400);
});

test.run();
