import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveEnv } from "../../../lib/edge/edged/env.ts";
import type { Pod } from "../../../lib/edge/edged/index.ts";
import { objectSource } from "./_objects.ts";

const facts = { podIP: "10.0.0.9", hostIP: "192.0.2.1", nodeName: "edge-1" };
const b64 = (s: string) => Buffer.from(s).toString("base64");
const store = {
  "ns/configmap/cm": { metadata: { name: "cm" }, data: { a: "1", b: "2" }, binaryData: { bin: b64("B") } },
  "ns/secret/s": { metadata: { name: "s" }, data: { pw: b64("hunter2") } },
};

function pod(c: Pod["spec"]["containers"][0]): Pod {
  return { metadata: { name: "p", namespace: "ns", uid: "u" }, spec: { containers: [c] } };
}

test("resolveEnv() applies envFrom, then env in order, with expansion of earlier names", async () => {
  const src = await objectSource(store);
  try {
    const p = pod({
      name: "c",
      envFrom: [{ configMapRef: { name: "cm" } }, { secretRef: { name: "s" }, prefix: "S_" }],
      env: [
        { name: "a", value: "override-$(b)" },
        { name: "IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
        { name: "PW", valueFrom: { secretKeyRef: { name: "s", key: "pw" } } },
        { name: "MEM", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } } },
        { name: "OPT", valueFrom: { configMapKeyRef: { name: "absent", key: "k", optional: true } } },
      ],
      resources: { limits: { memory: "32Mi" } },
    });
    const env = await resolveEnv(p, p.spec.containers[0], { objects: src.objects, facts });
    assert.equal(Object.fromEntries(env), { a: "override-2", b: "2", bin: "B", S_pw: "hunter2", IP: "10.0.0.9", PW: "hunter2", MEM: "32" });
  } finally {
    await src.close();
  }
});

test("resolveEnv() puts service links first: env may use them and override them", async () => {
  const src = await objectSource(store);
  try {
    const p = pod({ name: "c", env: [{ name: "API", value: "https://$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)" }, { name: "KUBERNETES_PORT", value: "mine" }] });
    const services = [{ metadata: { name: "kubernetes", namespace: "default" }, spec: { clusterIP: "10.96.0.1", ports: [{ name: "https", port: 443 }] } }];
    const env = await resolveEnv(p, p.spec.containers[0], { objects: src.objects, facts, services });
    assert.is(env.get("API"), "https://10.96.0.1:443");
    assert.is(env.get("KUBERNETES_PORT"), "mine");
    assert.is(env.get("KUBERNETES_PORT_443_TCP_ADDR"), "10.96.0.1");
  } finally {
    await src.close();
  }
});

test("resolveEnv() names the missing ConfigMap or key", async () => {
  const src = await objectSource(store);
  try {
    const missingMap = pod({ name: "c", env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "nope", key: "k" } } }] });
    await resolveEnv(missingMap, missingMap.spec.containers[0], { objects: src.objects, facts }).then(() => assert.unreachable(), (e) => {
      assert.is(e.code, "EDGED_NOT_FOUND");
      assert.match(e.message, /configmap "ns\/nope" not found/);
    });
    const missingKey = pod({ name: "c", env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "cm", key: "zzz" } } }] });
    await resolveEnv(missingKey, missingKey.spec.containers[0], { objects: src.objects, facts }).then(() => assert.unreachable(), (e) => {
      assert.match(e.message, /key "zzz" not found in configmap "ns\/cm"/);
    });
  } finally {
    await src.close();
  }
});

test.run();
