import { test } from "uvu";
import * as assert from "uvu/assert";
import type { V1Pod } from "@kubernetes/client-node";
import { ApiException } from "@kubernetes/client-node";
import type { EdgeKubeApi, TokenRequestSpec } from "../../../lib/cloud/edgecontroller/kube_api.ts";
import { PodTokenIssuer, tokenProjections } from "../../../lib/cloud/edgecontroller/pod_tokens.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { waitUntil } from "../../support/process.ts";

const pod = (seconds: number, extra: object[] = []): V1Pod => ({
  metadata: { name: "p", namespace: "ns", uid: "u1" },
  spec: {
    serviceAccountName: "robot",
    containers: [],
    volumes: [{ name: "kube-api-access-x", projected: { sources: [{ serviceAccountToken: { expirationSeconds: seconds, path: "token" } }, ...extra] } }],
  },
});

type Call = { ns: string; sa: string; req: TokenRequestSpec };

function fakeApi(answer: (c: Call) => { token: string; expirationTimestamp: Date }): { api: EdgeKubeApi; calls: Call[] } {
  const calls: Call[] = [];
  const api = {
    async createToken(ns: string, sa: string, req: TokenRequestSpec) {
      calls.push({ ns, sa, req });
      return answer({ ns, sa, req });
    },
  } as unknown as EdgeKubeApi;
  return { api, calls };
}

test("tokenProjections() lists each distinct audience and lifetime once, 3600 s by default", () => {
  const p = pod(3607, [{ serviceAccountToken: { path: "vault", audience: "vault" } }, { serviceAccountToken: { path: "again", expirationSeconds: 3607 } }]);
  assert.equal(tokenProjections(p), [{ expirationSeconds: 3607 }, { expirationSeconds: 3600, audience: "vault" }]);
});

test("tokensFor() asks a TokenRequest bound to the pod for its ServiceAccount, and caches it until 80 % of its life", async () => {
  const { api, calls } = fakeApi((c) => ({ token: `t${calls.length}`, expirationTimestamp: new Date(Date.now() + c.req.expirationSeconds * 1000) }));
  const renewed: string[] = [];
  const issuer = new PodTokenIssuer({ api, log: silentLogger, onRenew: (k) => renewed.push(k) });
  try {
    const first = await issuer.tokensFor(pod(600));
    assert.equal(calls[0], { ns: "ns", sa: "robot", req: { audiences: undefined, expirationSeconds: 600, pod: { name: "p", uid: "u1" } } });
    assert.is(first!.tokens[0]!.token, "t1");
    assert.is(first!.metadata.uid, "u1");
    assert.is((await issuer.tokensFor(pod(600)))!.metadata.resourceVersion, first!.metadata.resourceVersion, "served from the cache");
    assert.is(calls.length, 1);
    // a recreated pod (new uid) gets its own token at once
    const again = await issuer.tokensFor({ ...pod(600), metadata: { name: "p", namespace: "ns", uid: "u2" } });
    assert.is(calls.length, 2);
    assert.ok(Number(again!.metadata.resourceVersion) > Number(first!.metadata.resourceVersion));
  } finally {
    issuer.stop();
  }
});

test("a token is renewed once 80 % of its lifetime has passed", async () => {
  const { api } = fakeApi((c) => ({ token: "t", expirationTimestamp: new Date(Date.now() + c.req.expirationSeconds * 1000) }));
  const renewed: number[] = [];
  const issuer = new PodTokenIssuer({ api, log: silentLogger, onRenew: () => renewed.push(Date.now()) });
  try {
    const started = Date.now();
    await issuer.tokensFor(pod(1)); // a 1 s token: renewal due after 800 ms
    await waitUntil(() => renewed.length > 0, 5000, "renewal");
    const after = renewed[0]! - started;
    assert.ok(after >= 790 && after < 1000, `renewed after ${after} ms`);
  } finally {
    issuer.stop();
  }
});

test("a token that cannot be had carries the API's reason and is asked again after a back-off", async () => {
  const body = JSON.stringify({ kind: "Status", message: `serviceaccounts "robot" not found`, code: 404 });
  const { api, calls } = fakeApi(() => {
    throw new ApiException(404, "Not Found", body, {});
  });
  const renewed: string[] = [];
  const issuer = new PodTokenIssuer({ api, log: silentLogger, onRenew: (k) => renewed.push(k), retryMs: 50 });
  try {
    const got = await issuer.tokensFor(pod(3607));
    assert.equal(got!.tokens, [{ expirationSeconds: 3607, error: `serviceaccounts "robot" not found` }]);
    await waitUntil(() => renewed.length > 0, 2000, "retry");
    assert.equal(renewed, ["ns/p"]);
    await issuer.tokensFor(pod(3607));
    assert.is(calls.length, 2);
  } finally {
    issuer.stop();
  }
});

test("tokensFor() is undefined for a pod without token projections", async () => {
  const { api, calls } = fakeApi(() => ({ token: "t", expirationTimestamp: new Date() }));
  const issuer = new PodTokenIssuer({ api, log: silentLogger, onRenew: () => {} });
  assert.is(await issuer.tokensFor({ metadata: { name: "q", namespace: "ns", uid: "u" }, spec: { containers: [] } }), undefined);
  assert.is(calls.length, 0);
  issuer.stop();
});

test.run();
