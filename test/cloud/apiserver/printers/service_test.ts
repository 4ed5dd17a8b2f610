import { test } from "uvu";
import * as assert from "uvu/assert";
import { servicePrinter } from "../../../../lib/cloud/apiserver/printers/service.ts";

const NOW = new Date("2025-01-01T12:00:00Z");

function service(spec: object, status: object = {}) {
  return {
    kind: "Service", apiVersion: "v1",
    metadata: { name: "web", namespace: "default", creationTimestamp: "2025-01-01T11:00:00Z" },
    spec: { selector: { app: "web", tier: "front" }, ...spec },
    status,
  };
}

test("servicePrinter.cells() prints a ClusterIP service with its ports and selector", () => {
  const svc = service({
    type: "ClusterIP", clusterIP: "10.96.12.4", clusterIPs: ["10.96.12.4"],
    ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: 8080 }, { name: "dns", port: 53, protocol: "UDP", targetPort: 53 }],
  });
  assert.equal(servicePrinter.cells(svc, NOW), ["web", "ClusterIP", "10.96.12.4", "<none>", "80/TCP,53/UDP", "60m", "app=web,tier=front"]);
});

test("servicePrinter.cells() prints node ports and external IPs of a NodePort service", () => {
  const svc = service({ type: "NodePort", clusterIPs: ["10.96.0.9"], externalIPs: ["198.51.100.2"], ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }] });
  assert.equal(servicePrinter.cells(svc, NOW).slice(1, 5), ["NodePort", "10.96.0.9", "198.51.100.2", "80:30080/TCP"]);
});

test("servicePrinter.cells() prints <pending> or the ingress addresses of a LoadBalancer service", () => {
  const pending = service({ type: "LoadBalancer", clusterIPs: ["10.96.0.10"], ports: [{ port: 443, nodePort: 31443, protocol: "TCP" }] });
  assert.is(servicePrinter.cells(pending, NOW)[3], "<pending>");
  const ready = service(
    { type: "LoadBalancer", clusterIPs: ["10.96.0.10"], externalIPs: ["198.51.100.9"] },
    { loadBalancer: { ingress: [{ ip: "203.0.113.5" }, { hostname: "lb.example.com" }, { ip: "203.0.113.5" }] } },
  );
  assert.equal(servicePrinter.cells(ready, NOW).slice(3, 5), ["203.0.113.5,lb.example.com,198.51.100.9", "<none>"]);
});

test("servicePrinter.cells() prints the external name and a headless cluster IP", () => {
  const external = service({ type: "ExternalName", externalName: "db.example.com", selector: {} });
  assert.equal(servicePrinter.cells(external, NOW), ["web", "ExternalName", "<none>", "db.example.com", "<none>", "60m", "<none>"]);
  const headless = service({ type: "ClusterIP", clusterIP: "None", clusterIPs: ["None"], ports: [{ port: 5432, protocol: "TCP" }] });
  assert.is(servicePrinter.cells(headless, NOW)[2], "None");
});

test("servicePrinter.cells() reads absent type, protocol and clusterIPs as the API defaults", () => {
  const svc = service({ clusterIP: "10.96.1.1", ports: [{ port: 80 }] });
  assert.equal(servicePrinter.cells(svc, NOW).slice(1, 5), ["ClusterIP", "10.96.1.1", "<none>", "80/TCP"]);
});

test.run();
