import { test } from "uvu";
import { startDifferential, type Differential, type Known } from "./_harness.ts";

let d: Differential | undefined;
test.before(async () => {
  d = await startDifferential("valid");
});
test.after(async () => {
  await d?.close();
});

const cm = (name: string, extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) =>
  ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, ...meta }, ...extra });
const CMS = "/api/v1/namespaces/{ns}/configmaps";

test("object names follow the DNS rules of their kind", async () => {
  if (!d) return;
  await d.request("configmap name with capitals", "POST", CMS, cm("Bad_Name"));
  await d.request("configmap name too long", "POST", CMS, cm("a".repeat(254)));
  await d.request("service name with a dot", "POST", "/api/v1/namespaces/{ns}/services", { apiVersion: "v1", kind: "Service", metadata: { name: "a.b" }, spec: { ports: [{ port: 80 }] } });
  await d.request("namespace name too long", "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "n".repeat(64) } });
});

test("label keys and values, annotation keys", async () => {
  if (!d) return;
  await d.request("label key with a space and !", "POST", CMS, cm("l1", {}, { labels: { "bad key!": "x" } }));
  await d.request("label value too long", "POST", CMS, cm("l2", {}, { labels: { a: "v".repeat(64) } }));
  await d.request("label value with a slash", "POST", CMS, cm("l3", {}, { labels: { a: "x/y" } }));
  await d.request("label key with a bad prefix", "POST", CMS, cm("l4", {}, { labels: { "Bad_Prefix/a": "x" } }));
  await d.request("object-valued label", "POST", CMS, cm("l5", {}, { labels: { a: { b: 1 } } }));
  await d.request("annotation key invalid", "POST", CMS, cm("l6", {}, { annotations: { "bad key": "x" } }));
  await d.request("valid labels", "POST", CMS, cm("l7", {}, { labels: { "example.com/a-b_c.d": "V-1_2.3", empty: "" } }));
});

test("configmap and secret data keys", async () => {
  if (!d) return;
  await d.request("configmap key ..", "POST", CMS, cm("k1", { data: { "..": "x" } }));
  await d.request("configmap key ../../x", "POST", CMS, cm("k2", { data: { "../../x": "x" } }));
  await d.request("configmap key .", "POST", CMS, cm("k3", { data: { ".": "x" } }));
  await d.request("configmap key in data and binaryData", "POST", CMS, cm("k4", { data: { a: "x" }, binaryData: { a: "eA==" } }));
  await d.request("secret key with a slash", "POST", "/api/v1/namespaces/{ns}/secrets", { apiVersion: "v1", kind: "Secret", metadata: { name: "s1" }, data: { "a/b": "eA==" } });
  await d.request("configmap data value not a string", "POST", CMS, cm("k5", { data: { a: 1 } }));
});

test("a wrong type in a probe is the first decoding error, in document order", async () => {
  if (!d) return;
  const deploy = (probe: unknown, nodeSelector: unknown) => ({
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "probe" },
    spec: {
      selector: { matchLabels: { a: "b" } },
      template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "busybox", livenessProbe: probe }], nodeSelector } },
    },
  });
  const DEPLOYS = "/apis/apps/v1/namespaces/{ns}/deployments";
  await d.request("exec command of booleans, then a boolean node selector", "POST", DEPLOYS, deploy({ exec: { command: [true] } }, { x: true }));
  await d.request("a probe port of the wrong type", "POST", DEPLOYS, deploy({ httpGet: { port: { a: 1 } } }, {}));
  await d.request("a fractional probe port", "POST", DEPLOYS, deploy({ tcpSocket: { port: 80.5 } }, {}));
  await d.request("a probe period as text", "POST", `${DEPLOYS}?dryRun=All`, deploy({ tcpSocket: { port: 80 }, periodSeconds: "5" }, {}));
  await d.request("an unknown probe field under strict validation", "POST", `${DEPLOYS}?dryRun=All&fieldValidation=Strict`, deploy({ grpc: { port: 9 }, bogus: 1 }, {}));
});

test.run();
