import { test } from "uvu";
import * as assert from "uvu/assert";
import { serviceLinkEnv, type LinkedService } from "../../../lib/edge/edged/service_links.ts";

const svc = (namespace: string, name: string, clusterIP: string, ports: { name?: string; port: number; protocol?: string }[]): LinkedService =>
  ({ metadata: { name, namespace }, spec: { clusterIP, ports } });
const API = svc("default", "kubernetes", "10.96.0.1", [{ name: "https", port: 443, protocol: "TCP" }]);
const WEB = svc("shop", "web-front", "10.100.7.9", [{ name: "http", port: 80 }, { name: "dns-udp", port: 53, protocol: "UDP" }]);

test("a Service of the pod's namespace gives host, ports and the Docker-link variables; default/kubernetes always", () => {
  const env = serviceLinkEnv("shop", undefined, [API, WEB, svc("other", "db", "10.100.0.3", [{ port: 5432 }])]);
  assert.equal(Object.fromEntries(env), {
    KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443", KUBERNETES_SERVICE_PORT_HTTPS: "443",
    KUBERNETES_PORT: "tcp://10.96.0.1:443", KUBERNETES_PORT_443_TCP: "tcp://10.96.0.1:443",
    KUBERNETES_PORT_443_TCP_PROTO: "tcp", KUBERNETES_PORT_443_TCP_PORT: "443", KUBERNETES_PORT_443_TCP_ADDR: "10.96.0.1",
    WEB_FRONT_SERVICE_HOST: "10.100.7.9", WEB_FRONT_SERVICE_PORT: "80", WEB_FRONT_SERVICE_PORT_HTTP: "80", WEB_FRONT_SERVICE_PORT_DNS_UDP: "53",
    WEB_FRONT_PORT: "tcp://10.100.7.9:80",
    WEB_FRONT_PORT_80_TCP: "tcp://10.100.7.9:80", WEB_FRONT_PORT_80_TCP_PROTO: "tcp", WEB_FRONT_PORT_80_TCP_PORT: "80", WEB_FRONT_PORT_80_TCP_ADDR: "10.100.7.9",
    WEB_FRONT_PORT_53_UDP: "udp://10.100.7.9:53", WEB_FRONT_PORT_53_UDP_PROTO: "udp", WEB_FRONT_PORT_53_UDP_PORT: "53", WEB_FRONT_PORT_53_UDP_ADDR: "10.100.7.9",
  });
});

test("enableServiceLinks: false leaves only default/kubernetes; headless and ExternalName Services give nothing", () => {
  const off = serviceLinkEnv("shop", false, [API, WEB]);
  assert.equal([...off.keys()].filter((k) => !k.startsWith("KUBERNETES_")), []);
  assert.is(off.get("KUBERNETES_SERVICE_HOST"), "10.96.0.1");
  const headless = serviceLinkEnv("shop", true, [svc("shop", "h", "None", [{ port: 80 }]), { metadata: { name: "x", namespace: "shop" }, spec: {} }]);
  assert.equal([...headless.keys()], []);
});

test("a `kubernetes` Service in the pod's own namespace shadows default/kubernetes; IPv6 hosts are bracketed", () => {
  const env = serviceLinkEnv("shop", true, [API, svc("shop", "kubernetes", "fd00::5", [{ port: 8443 }])]);
  assert.is(env.get("KUBERNETES_SERVICE_HOST"), "fd00::5");
  assert.is(env.get("KUBERNETES_PORT"), "tcp://[fd00::5]:8443");
  assert.is(env.get("KUBERNETES_SERVICE_PORT_HTTPS"), undefined);
});

test.run();
