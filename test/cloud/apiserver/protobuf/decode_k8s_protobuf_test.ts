import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeK8sProtobuf, PROTOBUF_KINDS } from "../../../../lib/cloud/apiserver/protobuf/decode_k8s_protobuf.ts";
import { ProtobufDecodeError } from "../../../../lib/cloud/apiserver/protobuf/protobuf_decode_error.ts";
import { bytesField, k8sBody, messageField, stringField, varintField } from "./_encode.ts";

/** ObjectMeta as Go writes it: name, then the always-written empty fields 2..8. */
function objectMeta(name: string, ...more: number[][]): number[] {
  return messageField(1, stringField(1, name), ...[2, 3, 4, 5, 6].map((f) => stringField(f, "")), varintField(7, 0), messageField(8), ...more);
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.instance(err, TypeError);
    return `${(err as ProtobufDecodeError).code}: ${(err as Error).message}`;
  }
  return "no error";
}

test("decodeK8sProtobuf() decodes the 55-byte body of kubectl create configmap c2 --from-literal=x=y", () => {
  // What kubectl 1.32 sends for `kubectl create configmap c2 --from-literal=x=y`, byte by byte.
  const body = Uint8Array.from([
    0x6b, 0x38, 0x73, 0x00, // "k8s\0"
    0x0a, 0x0f, // Unknown.typeMeta, 15 bytes
    0x0a, 0x02, 0x76, 0x31, // apiVersion "v1"
    0x12, 0x09, 0x43, 0x6f, 0x6e, 0x66, 0x69, 0x67, 0x4d, 0x61, 0x70, // kind "ConfigMap"
    0x12, 0x1c, // Unknown.raw, 28 bytes of ConfigMap
    0x0a, 0x12, // ConfigMap.metadata, 18 bytes
    0x0a, 0x02, 0x63, 0x32, // name "c2"
    0x12, 0x00, 0x1a, 0x00, 0x22, 0x00, 0x2a, 0x00, 0x32, 0x00, // generateName, namespace, selfLink, uid, resourceVersion: ""
    0x38, 0x00, // generation 0
    0x42, 0x00, // creationTimestamp: zero time
    0x12, 0x06, 0x0a, 0x01, 0x78, 0x12, 0x01, 0x79, // data entry "x" -> "y"
    0x1a, 0x00, // Unknown.contentEncoding ""
    0x22, 0x00, // Unknown.contentType ""
  ]);
  assert.is(body.length, 55);
  assert.equal(decodeK8sProtobuf(body), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c2" }, data: { x: "y" } });
});

test("decodeK8sProtobuf() decodes a TLS secret with data as base64, its type and immutable", () => {
  const secret = [
    ...objectMeta("web-tls", stringField(3, "prod")),
    ...messageField(2, stringField(1, "tls.crt"), bytesField(2, [...new TextEncoder().encode("CERT")])),
    ...messageField(2, stringField(1, "tls.key"), bytesField(2, [0xde, 0xad])),
    ...stringField(3, "kubernetes.io/tls"),
    ...varintField(5, 1),
  ];
  assert.equal(decodeK8sProtobuf(k8sBody("v1", "Secret", secret)), {
    apiVersion: "v1", kind: "Secret",
    metadata: { name: "web-tls", namespace: "prod" },
    data: { "tls.crt": "Q0VSVA==", "tls.key": "3q0=" },
    type: "kubernetes.io/tls",
    immutable: true,
  });
});

test("decodeK8sProtobuf() decodes a namespace with finalizers and labels", () => {
  const ns = [
    ...objectMeta("edge", messageField(11, stringField(1, "team"), stringField(2, "iot"))),
    ...messageField(2, stringField(1, "kubernetes")),
    ...messageField(3, stringField(1, "")),
  ];
  assert.equal(decodeK8sProtobuf(k8sBody("v1", "Namespace", ns)), {
    apiVersion: "v1", kind: "Namespace", metadata: { name: "edge", labels: { team: "iot" } }, spec: { finalizers: ["kubernetes"] },
  });
});

test("decodeK8sProtobuf() decodes a NodePort service with a named target port and a headless cluster IP", () => {
  const port = messageField(1,
    stringField(1, "http"), stringField(2, "TCP"), varintField(3, 80),
    messageField(4, varintField(1, 1), varintField(2, 0), stringField(3, "web")), varintField(5, 30080));
  const svc = [
    ...objectMeta("web"),
    ...messageField(2, port, messageField(2, stringField(1, "app"), stringField(2, "web")), stringField(3, "None"), stringField(4, "NodePort"), varintField(13, 0)),
    ...messageField(3, messageField(1)),
  ];
  assert.equal(decodeK8sProtobuf(k8sBody("v1", "Service", svc)), {
    apiVersion: "v1", kind: "Service", metadata: { name: "web" },
    spec: { ports: [{ name: "http", protocol: "TCP", port: 80, targetPort: "web", nodePort: 30080 }], selector: { app: "web" }, clusterIP: "None", type: "NodePort" },
  });
});

test("decodeK8sProtobuf() decodes a deployment with command, env, resources and strategy", () => {
  const container = messageField(2,
    stringField(1, "app"), stringField(2, "busybox:1.36"), stringField(3, "sleep"), stringField(4, "3600"),
    messageField(6, stringField(1, "http"), varintField(3, 8080), stringField(4, "TCP")),
    messageField(7, stringField(1, "MODE"), stringField(2, "edge")),
    messageField(7, stringField(1, "LEVEL"), messageField(3, messageField(3, messageField(1, stringField(1, "cfg")), stringField(2, "level")))),
    messageField(8, messageField(1, stringField(1, "cpu"), messageField(2, stringField(1, "500m")))),
    stringField(14, "IfNotPresent"), varintField(16, 0));
  const deploy = [
    ...objectMeta("web"),
    ...messageField(2,
      varintField(1, 2),
      messageField(2, messageField(1, stringField(1, "app"), stringField(2, "web"))),
      messageField(3, messageField(1, messageField(11, stringField(1, "app"), stringField(2, "web"))), messageField(2, container, stringField(3, "Always"))),
      messageField(4, stringField(1, "RollingUpdate"), messageField(2, messageField(1, varintField(1, 1), stringField(3, "25%")))),
      varintField(6, 5)),
    ...messageField(3, varintField(2, 0)),
  ];
  assert.equal(decodeK8sProtobuf(k8sBody("apps/v1", "Deployment", deploy)), {
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [{
            name: "app", image: "busybox:1.36", command: ["sleep"], args: ["3600"],
            ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
            env: [{ name: "MODE", value: "edge" }, { name: "LEVEL", valueFrom: { configMapKeyRef: { name: "cfg", key: "level" } } }],
            resources: { limits: { cpu: "500m" } },
            imagePullPolicy: "IfNotPresent",
          }],
          restartPolicy: "Always",
        },
      },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%" } },
      revisionHistoryLimit: 5,
    },
  });
});

test("decodeK8sProtobuf() rejects a kind without a field table as UNSUPPORTED_KIND", () => {
  const got = codeOf(() => decodeK8sProtobuf(k8sBody("apps/v1", "StatefulSet", objectMeta("db"))));
  assert.ok(got.startsWith('UNSUPPORTED_KIND: Cannot decode protobuf body: unsupported kind "apps/v1 StatefulSet"'), got);
  assert.ok(got.includes(PROTOBUF_KINDS.join(", ")));
});

test("decodeK8sProtobuf() rejects bodies without the magic, with compression or with broken bytes", () => {
  assert.match(codeOf(() => decodeK8sProtobuf(new TextEncoder().encode('{"kind":"ConfigMap"}'))), /^BAD_MAGIC: Cannot decode protobuf body: the body does not start with "k8s\\0"/);
  assert.match(codeOf(() => decodeK8sProtobuf(Uint8Array.from([0x6b, 0x38]))), /^BAD_MAGIC/);
  assert.match(codeOf(() => decodeK8sProtobuf(k8sBody("v1", "ConfigMap", objectMeta("c"), "gzip"))), /^UNSUPPORTED_ENCODING: .*"gzip" for "v1 ConfigMap"/);
  const truncated = k8sBody("v1", "ConfigMap", objectMeta("c")).slice(0, 30);
  assert.match(codeOf(() => decodeK8sProtobuf(truncated)), /^MALFORMED: Cannot decode protobuf body: message "Unknown" has a length of \d+ past the end/);
});

test("decodeK8sProtobuf() treats an empty envelope as the unsupported kind \" \"", () => {
  assert.match(codeOf(() => decodeK8sProtobuf(Uint8Array.from([0x6b, 0x38, 0x73, 0x00]))), /^UNSUPPORTED_KIND: .*unsupported kind " "/);
});

test.run();
