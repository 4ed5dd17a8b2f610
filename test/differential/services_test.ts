import { test } from "uvu";
import * as assert from "uvu/assert";
import { startDifferential, type Differential, type Known } from "./_harness.ts";

let d: Differential | undefined;
test.before(async () => {
  d = await startDifferential("svc");
});
test.after(async () => {
  await d?.close();
});

/** Both servers pick a random free address: the values differ, where they come from is asserted below. */
const RANDOM_ADDRESS: Known[] = [
  { path: /^body\.spec\.clusterIPs?(\[0\])?$/, why: "each server picks a random free cluster IP" },
  { path: /^body\.spec\.ports\[\d\]\.nodePort$/, why: "each server picks a random free node port" },
];
const SERVICE_FIELDS: Known = {
  path: /^body\.metadata\.managedFields\[0\]\.fieldsV1\.f:(spec|status)/,
  why: "our field sets list the fields defaulting added, and key service ports by port alone; the real one keys them by port and protocol",
};
/** 10.96.0.0/12 above the first 256 addresses, which are kept for addresses asked for by name. */
const DYNAMIC_IP = /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/;

test("default/kubernetes is the API server's Service: 10.96.0.1, port 443 to the server's port", async () => {
  if (!d) return;
  const r = await d.request("get default/kubernetes", "GET", "/api/v1/namespaces/default/services/kubernetes", undefined, {
    known: [{ path: "body.spec.ports[0].targetPort", why: "each server's own listening port" }, SERVICE_FIELDS],
  });
  const spec = (r.embedded.body as any).spec;
  assert.equal([spec.clusterIP, spec.ports[0].port, spec.ports[0].targetPort], ["10.96.0.1", 443, d.test.api.port]);
  await d.kubectl("kubectl get service kubernetes", ["get", "-n", "default", "service", "kubernetes", "-o", "custom-columns=NAME:.metadata.name,TYPE:.spec.type,IP:.spec.clusterIP,PORT:.spec.ports[0].port"]);
});

test("a new Service gets a random free cluster IP of the range, a NodePort one a random node port", async () => {
  if (!d) return;
  const svc = (name: string, type: string) => ({
    apiVersion: "v1", kind: "Service", metadata: { name },
    spec: { type, selector: { app: name }, ports: [{ name: "http", port: 80, targetPort: 8080 }] },
  });
  const a = await d.request("create a ClusterIP service", "POST", "/api/v1/namespaces/{ns}/services", svc("web", "ClusterIP"), { known: [...RANDOM_ADDRESS, SERVICE_FIELDS] });
  const b = await d.request("create a NodePort service", "POST", "/api/v1/namespaces/{ns}/services", svc("front", "NodePort"), { known: [...RANDOM_ADDRESS, SERVICE_FIELDS] });
  for (const side of [a.embedded, a.real, b.embedded, b.real]) {
    const spec = (side.body as any).spec;
    assert.match(spec.clusterIP, DYNAMIC_IP);
    assert.ok(!spec.clusterIP.startsWith("10.96.0."), `${spec.clusterIP} is above the static band`);
  }
  const port = (b.embedded.body as any).spec.ports[0].nodePort;
  assert.ok(port >= 30000 && port <= 32767, `node port ${port}`);
  await d.request("a cluster IP asked for by name is kept", "POST", "/api/v1/namespaces/{ns}/services", {
    ...svc("fixed", "ClusterIP"), spec: { ...svc("fixed", "ClusterIP").spec, clusterIP: "10.96.0.42" },
  }, { known: [SERVICE_FIELDS] });
  const asking = (name: string, clusterIP: string | undefined, nodePort: number) => ({
    apiVersion: "v1", kind: "Service", metadata: { name },
    spec: { type: "NodePort", ...(clusterIP ? { clusterIP } : {}), ports: [{ port: 80, nodePort }] },
  });
  await d.request("a cluster IP already taken", "POST", "/api/v1/namespaces/{ns}/services", asking("dup-ip", "10.96.0.42", 30999));
  await d.request("a cluster IP outside the range", "POST", "/api/v1/namespaces/{ns}/services", asking("far-ip", "10.200.0.1", 30998));
  await d.request("a node port asked for by name", "POST", "/api/v1/namespaces/{ns}/services", asking("np1", undefined, 30777), { known: [...RANDOM_ADDRESS, SERVICE_FIELDS] });
  const dup = await d.request("the same node port again", "POST", "/api/v1/namespaces/{ns}/services", asking("np2", undefined, 30777));
  assert.is(dup.embedded.status, 422);
  await d.request("a node port outside the range", "POST", "/api/v1/namespaces/{ns}/services", asking("np3", undefined, 40000));
});

test.run();
