import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { pooledKubeConfig } from "../../lib/cloud/pooled_kube_config.ts";
import { startTestApiServer } from "../support/apiserver.ts";

test("pooledKubeConfig() reuses one TLS connection for sequential requests", async () => {
  const server = await startTestApiServer();
  const kc = new KubeConfig();
  kc.loadFromFile(server.env.kubeconfig);
  const pooled = pooledKubeConfig(kc);
  let handshakes = 0;
  const { default: tls } = await import("node:tls");
  const original = tls.connect;
  (tls as { connect: typeof tls.connect }).connect = ((...args: Parameters<typeof tls.connect>) => {
    handshakes++;
    return original(...args);
  }) as typeof tls.connect;
  try {
    const core = pooled.kubeConfig.makeApiClient(CoreV1Api);
    for (let i = 0; i < 5; i++) await core.listNamespace();
    assert.is(handshakes, 1);
    assert.is(pooled.kubeConfig.getCurrentCluster()?.server, kc.getCurrentCluster()?.server);
  } finally {
    (tls as { connect: typeof tls.connect }).connect = original;
    pooled.close();
    await server.close();
  }
});

test.run();
