import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ListWatch, V1Service } from "@kubernetes/client-node";
import {
  edgeService, MAX_SERVICES_PER_NAMESPACE, namespaceServices, servicesOfNode, withinCap,
} from "../../../lib/cloud/edgecontroller/node_services.ts";

const svc = (namespace: string, name: string): V1Service => ({
  metadata: { name, namespace, resourceVersion: "7", uid: `u-${name}`, annotations: { big: "x".repeat(10_000) }, labels: { a: "b" } },
  spec: { clusterIP: "10.96.0.5", selector: { app: name }, ports: [{ name: "http", port: 80, targetPort: 8080, protocol: "TCP" }] },
  status: { loadBalancer: {} },
});

/** The informer cache as node_services.ts reads it. */
function cache(services: V1Service[]): ListWatch<V1Service> {
  return {
    list: (ns?: string) => services.filter((s) => ns === undefined || s.metadata!.namespace === ns),
    get: (name: string, ns?: string) => services.find((s) => s.metadata!.name === name && s.metadata!.namespace === ns),
  } as unknown as ListWatch<V1Service>;
}

test("a node is sent only name, cluster IP and ports of a Service, not its annotations, selector or status", () => {
  const sent = JSON.stringify(edgeService(svc("shop", "web")));
  assert.ok(sent.length < 400, `${sent.length} bytes`);
  assert.equal(JSON.parse(sent), {
    apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop", uid: "u-web", resourceVersion: "7" },
    spec: { clusterIP: "10.96.0.5", ports: [{ name: "http", protocol: "TCP", port: 80 }] },
  });
});

test("a namespace with more Services than the cap sends the first by name; the others are not sent on change", () => {
  const many = Array.from({ length: MAX_SERVICES_PER_NAMESPACE + 20 }, (_, i) => svc("big", `s-${String(i).padStart(4, "0")}`));
  const c = cache(many);
  const sent = namespaceServices(c, "big");
  assert.is(sent.length, MAX_SERVICES_PER_NAMESPACE);
  assert.is(sent[0]!.metadata!.name, "s-0000");
  assert.ok(withinCap(c, many[0]!));
  assert.not.ok(withinCap(c, many.at(-1)!), "beyond the cap");
});

test("a node holds its namespaces' Services and default/kubernetes once, and nothing of other namespaces", () => {
  const c = cache([svc("default", "kubernetes"), svc("default", "other"), svc("shop", "web"), svc("else", "db")]);
  const names = (ns: string[]) => servicesOfNode(c, ns).map((s) => `${s.metadata!.namespace}/${s.metadata!.name}`).sort();
  assert.equal(names(["shop"]), ["default/kubernetes", "shop/web"]);
  assert.equal(names(["default", "shop"]), ["default/kubernetes", "default/other", "shop/web"]);
  assert.equal(names([]), ["default/kubernetes"]);
});

test.run();
