import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ObjectSource } from "../../../lib/edge/edged/object_source.ts";
import { isLinkable, podServices } from "../../../lib/edge/edged/pod_services.ts";
import type { Pod } from "../../../lib/edge/edged/types.ts";

const svc = (namespace: string, name: string, extra: object = {}) =>
  ({ metadata: { name, namespace }, spec: { clusterIP: "10.96.0.9", ports: [{ name: "http", port: 80, protocol: "TCP" }], ...extra } });

/** MetaManager's store as `ObjectSource.list` reads it, with the queries asked. */
function store(rows: ReturnType<typeof svc>[]) {
  const asked: string[] = [];
  const objects = {
    async list(ns: string, type: string) {
      asked.push(`${ns}/${type}`);
      return rows.filter((r) => r.metadata.namespace === ns);
    },
  } as unknown as ObjectSource;
  return { objects, asked };
}

const pod = (namespace: string, enableServiceLinks?: boolean): Pod =>
  ({ metadata: { name: "p", namespace }, spec: { containers: [], ...(enableServiceLinks === undefined ? {} : { enableServiceLinks }) } });

test("a pod gets its namespace's Services and default/kubernetes, not other default Services", async () => {
  const { objects } = store([svc("shop", "web"), svc("default", "kubernetes"), svc("default", "other"), svc("else", "db")]);
  const names = (await podServices(objects, pod("shop"))).map((s) => `${s.metadata!.namespace}/${s.metadata!.name}`);
  assert.equal(names.sort(), ["default/kubernetes", "shop/web"]);
});

test("enableServiceLinks: false reads only default/kubernetes", async () => {
  const { objects, asked } = store([svc("shop", "web"), svc("default", "kubernetes")]);
  const names = (await podServices(objects, pod("shop", false))).map((s) => s.metadata!.name);
  assert.equal(names, ["kubernetes"]);
  assert.equal(asked, ["default/service"]);
});

test("a stored Service whose name or ports would make bad variable names is left out", () => {
  assert.ok(isLinkable(svc("shop", "web")));
  assert.ok(isLinkable(svc("shop", "headless", { clusterIP: "None" })));
  assert.not.ok(isLinkable(svc("shop", "X=1 evil")), "name is no DNS label");
  assert.not.ok(isLinkable(svc("shop", "web", { clusterIP: "10.0.0.1\nLD_PRELOAD=/x" })), "address of the wrong shape");
  assert.not.ok(isLinkable(svc("shop", "web", { ports: [{ name: "A=B", port: 80 }] })), "port name is no DNS label");
  assert.not.ok(isLinkable(svc("shop", "web", { ports: [{ port: 70000 }] })), "port out of range");
  assert.not.ok(isLinkable(svc("shop", "web", { ports: Array.from({ length: 101 }, (_, i) => ({ port: i + 1 })) })), "too many ports");
  assert.not.ok(isLinkable(null));
});

test.run();
