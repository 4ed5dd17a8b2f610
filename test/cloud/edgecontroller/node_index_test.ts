import { test } from "uvu";
import * as assert from "uvu/assert";
import type { V1Pod } from "@kubernetes/client-node";
import { NodeIndex } from "../../../lib/cloud/edgecontroller/node_index.ts";
import { podReferences } from "../../../lib/cloud/edgecontroller/pod_refs.ts";

function pod(name: string, node: string | undefined, cms: string[] = [], secrets: string[] = []): V1Pod {
  return {
    metadata: { name, namespace: "default", uid: `uid-${name}` },
    spec: {
      nodeName: node,
      containers: [{ name: "c", image: "busybox", envFrom: secrets.map((s) => ({ secretRef: { name: s } })) }],
      volumes: cms.map((c) => ({ name: c, configMap: { name: c } })),
    },
  };
}

test("podReferences() finds configmaps and secrets in volumes, projected volumes, env, envFrom and pull secrets", () => {
  const p: V1Pod = {
    metadata: { name: "p" },
    spec: {
      volumes: [
        { name: "a", configMap: { name: "cm-vol" } },
        { name: "b", secret: { secretName: "sec-vol" } },
        { name: "c", projected: { sources: [{ configMap: { name: "cm-proj" } }, { secret: { name: "sec-proj" } }] } },
      ],
      initContainers: [{ name: "i", env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "cm-init", key: "k" } } }] }],
      containers: [{
        name: "c",
        env: [{ name: "Y", valueFrom: { secretKeyRef: { name: "sec-env", key: "k" } } }, { name: "Z", value: "plain" }],
        envFrom: [{ configMapRef: { name: "cm-from" } }, { secretRef: { name: "sec-from" } }],
      }],
      imagePullSecrets: [{ name: "regcred" }],
    },
  };
  const r = podReferences(p);
  assert.equal([...r.configMaps].sort(), ["cm-from", "cm-init", "cm-proj", "cm-vol"]);
  assert.equal([...r.secrets].sort(), ["regcred", "sec-env", "sec-from", "sec-proj", "sec-vol"]);
});

test("NodeIndex sends a shared configmap to both nodes and drops it only when the last pod goes", () => {
  const idx = new NodeIndex();
  assert.equal(idx.setPod(pod("a", "n1", ["shared"])).added, ["default/configmap/shared"]);
  assert.equal(idx.setPod(pod("b", "n2", ["shared"])).added, ["default/configmap/shared"]);
  assert.equal(idx.setPod(pod("c", "n1", ["shared"])).added, [], "already on n1");
  assert.equal(idx.nodesOf("default/configmap/shared").sort(), ["n1", "n2"]);
  assert.ok(idx.entitled("n1", "default/configmap/shared"));
  assert.not.ok(idx.entitled("n3", "default/configmap/shared"));
  assert.equal(idx.removePod(pod("a", "n1")), [], "pod c still uses it on n1");
  assert.equal(idx.removePod(pod("c", "n1")), ["default/configmap/shared"]);
  assert.not.ok(idx.entitled("n1", "default/configmap/shared"));
  assert.equal(idx.nodesOf("default/configmap/shared"), ["n2"]);
});

test("NodeIndex ignores unbound pods and follows a pod whose references change", () => {
  const idx = new NodeIndex();
  assert.equal(idx.setPod(pod("u", undefined, ["x"])), { added: [], dropped: [] });
  assert.equal(idx.nodesOf("default/configmap/x"), []);
  idx.setPod(pod("p", "n1", ["x"], ["s"]));
  assert.equal(idx.refsOf("n1").sort(), ["default/configmap/x", "default/secret/s"]);
  assert.equal(idx.setPod(pod("p", "n1", ["y"], ["s"])), { added: ["default/configmap/y"], dropped: ["default/configmap/x"] });
  assert.equal(idx.refsOf("n1").sort(), ["default/configmap/y", "default/secret/s"]);
  assert.equal(idx.podsOf("n1"), ["default/p"]);
  assert.is(idx.nodeOfPod("default/p"), "n1");
});

test("NodeIndex knows which namespaces a node runs pods in, until its last pod there goes or moves", () => {
  const idx = new NodeIndex();
  const inNs = (name: string, node: string | undefined, ns: string): V1Pod => ({ ...pod(name, node), metadata: { name, namespace: ns } });
  idx.setPod(inNs("a", "n1", "shop"));
  idx.setPod(inNs("b", "n1", "shop"));
  idx.setPod(inNs("c", "n2", "default"));
  assert.equal(idx.namespacesOf("n1"), ["shop"]);
  assert.equal(idx.nodesInNamespace("shop"), ["n1"]);
  assert.not.ok(idx.inNamespace("n2", "shop"), "n2 runs nothing in shop");
  idx.removePod(inNs("a", "n1", "shop"));
  assert.ok(idx.inNamespace("n1", "shop"), "pod b is still there");
  idx.setPod(inNs("b", "n2", "shop"));
  assert.not.ok(idx.inNamespace("n1", "shop"), "its last pod in shop moved to n2");
  assert.equal(idx.namespacesOf("n1"), []);
  assert.equal(idx.namespacesOf("n2").sort(), ["default", "shop"]);
  idx.setPod(inNs("b", undefined, "shop"));
  assert.equal(idx.nodesInNamespace("shop"), [], "an unbound pod puts no node in a namespace");
});

test.run();
