/**
 * The real kubectl 1.32 sends its generator objects as protobuf; these bodies must decode to exactly what the same
 * command prints with `--dry-run=client -o json` (empty values aside).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeK8sProtobuf } from "../../../../lib/cloud/apiserver/protobuf/decode_k8s_protobuf.ts";
import { ProtobufDecodeError } from "../../../../lib/cloud/apiserver/protobuf/protobuf_decode_error.ts";
import { selfSignedTls } from "../../../support/tls.ts";
import { findKubectl, startFakeApi, type Captured, type FakeApi, type Reply } from "./_fake_api_server.ts";
import { requireTool } from "../../../support/skip.ts";

const KUBECTL = findKubectl();
const PROTOBUF = "application/vnd.kubernetes.protobuf";

/** What the embedded server would do with the body: decode it, or answer 415 with a Status. */
function create(req: Captured): Reply {
  if (req.method !== "POST") return { status: 404, body: { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404, message: "not found" } };
  try {
    const object = decodeK8sProtobuf(req.body) as { metadata: Record<string, unknown> };
    const namespace = /\/namespaces\/([^/]+)\//.exec(req.url)?.[1];
    if (namespace) object.metadata.namespace = namespace;
    return { status: 201, body: { ...object, metadata: { ...object.metadata, uid: "u-1", resourceVersion: "1" } } };
  } catch (err) {
    if (!(err instanceof ProtobufDecodeError)) throw err;
    return { status: 415, body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: err.message, reason: "UnsupportedMediaType", code: 415 } };
  }
}

/** Drops null, {} and [] recursively: the values Go writes in JSON but a protobuf body leaves implicit. */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const cleaned = withoutEmpty(v);
    if (cleaned === null || cleaned === undefined) continue;
    if (typeof cleaned === "object" && Object.keys(cleaned).length === 0) continue;
    out[k] = cleaned;
  }
  return out;
}

let api: FakeApi;
let dir: string;

/** Runs the generator for real and with --dry-run, and checks the decoded protobuf against the dry-run JSON. */
async function createMatchesDryRun(args: string[], created: string): Promise<Record<string, unknown>> {
  // The flags must come before a "--" that starts the container command.
  const end = args.includes("--") ? args.indexOf("--") : args.length;
  const dry = await api.kubectl([...args.slice(0, end), "--dry-run=client", "-o", "json", ...args.slice(end)]);
  assert.is(dry.code, 0, dry.stderr);
  const before = api.requests.length;
  const real = await api.kubectl(args);
  assert.is(real.code, 0, real.stderr);
  assert.is(real.stdout.trim(), created);
  const posts = api.requests.slice(before).filter((r) => r.method === "POST");
  assert.is(posts.length, 1);
  assert.is(posts[0].headers["content-type"], PROTOBUF);
  const decoded = decodeK8sProtobuf(posts[0].body);
  assert.equal(decoded, withoutEmpty(JSON.parse(dry.stdout)));
  return decoded;
}

if (KUBECTL) {
  test.before(async () => {
    api = await startFakeApi(KUBECTL, create);
    dir = mkdtempSync(join(tmpdir(), "kubectl-create-"));
  });
  test.after(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("kubectl create configmap sends a 55-byte protobuf body, decoded to its JSON", async () => {
    const decoded = await createMatchesDryRun(["create", "configmap", "c2", "--from-literal=x=y"], "configmap/c2 created");
    assert.equal(decoded, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c2" }, data: { x: "y" } });
    const post = api.requests.filter((r) => r.method === "POST").at(-1)!;
    assert.is(post.body.length, 55);
    assert.is(post.url, "/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create&fieldValidation=Strict");
  });

  test("kubectl create configmap puts non-UTF-8 files in binaryData, base64 encoded", async () => {
    const blob = join(dir, "logo.bin");
    writeFileSync(blob, Uint8Array.from([0xff, 0xfe, 0x00, 0x01]));
    const decoded = await createMatchesDryRun(["create", "configmap", "assets", "-n", "edge", `--from-file=logo.bin=${blob}`, "--from-literal=LOG_LEVEL=debug"], "configmap/assets created");
    assert.equal(decoded.binaryData, { "logo.bin": "//4AAQ==" });
    assert.equal(decoded.metadata, { name: "assets", namespace: "edge" });
  });

  test("kubectl create secret generic sends data as bytes, decoded to base64", async () => {
    const decoded = await createMatchesDryRun(["create", "secret", "generic", "db", "--from-literal=user=admin", "--from-literal=password=s3cr3t"], "secret/db created");
    assert.equal(decoded.data, { user: "YWRtaW4=", password: "czNjcjN0" });
  });

  test("kubectl create secret tls and docker-registry decode with their types", async () => {
    const { cert, key } = await selfSignedTls("web.example.com");
    writeFileSync(join(dir, "tls.crt"), cert);
    writeFileSync(join(dir, "tls.key"), key);
    const tls = await createMatchesDryRun(["create", "secret", "tls", "web-tls", `--cert=${join(dir, "tls.crt")}`, `--key=${join(dir, "tls.key")}`], "secret/web-tls created");
    assert.is(tls.type, "kubernetes.io/tls");
    assert.is(Buffer.from((tls.data as Record<string, string>)["tls.crt"], "base64").toString(), cert);
    const reg = await createMatchesDryRun(
      ["create", "secret", "docker-registry", "reg", "--docker-server=registry.example.com", "--docker-username=u", "--docker-password=p"],
      "secret/reg created",
    );
    assert.is(reg.type, "kubernetes.io/dockerconfigjson");
  });

  test("kubectl create namespace decodes", async () => {
    const decoded = await createMatchesDryRun(["create", "namespace", "edge-apps"], "namespace/edge-apps created");
    assert.equal(decoded, { apiVersion: "v1", kind: "Namespace", metadata: { name: "edge-apps" } });
  });

  test("kubectl create deployment with --image, --replicas and --port decodes", async () => {
    const decoded = await createMatchesDryRun(["create", "deployment", "web", "--image=nginx:1.27", "--replicas=3", "--port=80"], "deployment.apps/web created");
    assert.equal(decoded.spec, {
      replicas: 3,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.27", ports: [{ containerPort: 80 }] }] } },
    });
  });

  test("kubectl create deployment keeps --replicas=0 and the command after --", async () => {
    const zero = await createMatchesDryRun(["create", "deployment", "idle", "--image=busybox:1.36", "--replicas=0", "--", "sleep", "3600"], "deployment.apps/idle created");
    assert.is((zero.spec as { replicas: number }).replicas, 0);
    const container = (zero.spec as { template: { spec: { containers: { command: string[] }[] } } }).template.spec.containers[0];
    assert.equal(container.command, ["sleep", "3600"]);
  });

  test("kubectl create service clusterip and nodeport decode with their ports", async () => {
    const cip = await createMatchesDryRun(["create", "service", "clusterip", "web", "--tcp=80:8080", "--tcp=443:8443"], "service/web created");
    assert.equal((cip.spec as { ports: unknown[] }).ports, [
      { name: "80-8080", protocol: "TCP", port: 80, targetPort: 8080 },
      { name: "443-8443", protocol: "TCP", port: 443, targetPort: 8443 },
    ]);
    const headless = await createMatchesDryRun(["create", "service", "clusterip", "db", "--clusterip=None"], "service/db created");
    assert.is((headless.spec as { clusterIP: string }).clusterIP, "None");
    const np = await createMatchesDryRun(["create", "service", "nodeport", "np", "--tcp=80:8080", "--node-port=30080"], "service/np created");
    assert.is((np.spec as { ports: { nodePort: number }[] }).ports[0].nodePort, 30080);
  });

  test("kubectl create serviceaccount decodes", async () => {
    await createMatchesDryRun(["create", "serviceaccount", "mapper"], "serviceaccount/mapper created");
  });

  test("kubectl prints the 415 message for a kind the decoder does not know", async () => {
    const out = await api.kubectl(["create", "job", "once", "--image=busybox:1.36"]);
    assert.is(out.code, 1);
    assert.match(out.stderr, /error: failed to create job: Cannot decode protobuf body: unsupported kind "batch\/v1 Job"/);
  });
} else {
  test("kubectl create tests need kubectl on PATH", () => {
    requireTool("kubectl (for the real kubectl protobuf checks)", KUBECTL);
  });
}

test.run();
