/**
 * A throwaway Kubernetes API front for driving the real kubectl in tests: /version (minor 32), legacy discovery
 * (aggregated discovery, as kubectl asks for it) for the resources the tests use, and a caller-supplied handler for everything else. Each
 * request is recorded with its body.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";

export interface Captured { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer }
export interface Reply { status: number; body: unknown; contentType?: string }
/** Answers a request; a reply with `stream` lines writes them one by one and then ends the response. */
export type Handler = (req: Captured) => Reply | { status: number; stream: unknown[] };

const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const resource = (name: string, kind: string, namespaced: boolean, shortNames: string[] = []) =>
  ({ name, singularName: name.replace(/s$/, ""), namespaced, kind, verbs: VERBS, shortNames });

const GROUPS: Record<string, object[]> = {
  "/api/v1": [
    resource("pods", "Pod", true, ["po"]), resource("nodes", "Node", false, ["no"]),
    resource("configmaps", "ConfigMap", true, ["cm"]), resource("secrets", "Secret", true),
    resource("namespaces", "Namespace", false, ["ns"]), resource("services", "Service", true, ["svc"]),
    resource("serviceaccounts", "ServiceAccount", true, ["sa"]), resource("events", "Event", true, ["ev"]),
  ],
  "/apis/apps/v1": [resource("deployments", "Deployment", true, ["deploy"]), resource("replicasets", "ReplicaSet", true, ["rs"])],
  "/apis/batch/v1": [resource("jobs", "Job", true)],
  "/apis/coordination.k8s.io/v1": [resource("leases", "Lease", true)],
};

function discovery(path: string, port: number): unknown {
  if (path === "/version") return { major: "1", minor: "32", gitVersion: "v1.32.4", platform: "linux/amd64" };
  if (path === "/api") {
    return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: `127.0.0.1:${port}` }] };
  }
  if (path === "/apis") {
    const groups = Object.keys(GROUPS).filter((p) => p.startsWith("/apis/")).map((p) => {
      const [, , name, version] = p.split("/");
      const gv = { groupVersion: `${name}/${version}`, version };
      return { name, versions: [gv], preferredVersion: gv };
    });
    return { kind: "APIGroupList", apiVersion: "v1", groups };
  }
  if (Object.hasOwn(GROUPS, path)) {
    return { kind: "APIResourceList", groupVersion: path.replace(/^\/apis?\//, ""), resources: GROUPS[path] };
  }
  return undefined;
}

/** The real kubectl 1.32 binary: `kubectl.1.32` beside the kubectl on PATH (the gcloud layout), else kubectl itself. */
export function findKubectl(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "kubectl");
    if (!dir || !existsSync(candidate)) continue;
    const pinned = join(dirname(realpathSync(candidate)), "kubectl.1.32");
    return existsSync(pinned) ? pinned : candidate;
  }
  return undefined;
}

export interface FakeApi {
  requests: Captured[];
  /** Runs kubectl against this server with its own kubeconfig, HOME and cache; resolves when it exits. */
  kubectl(args: string[], timeoutMs?: number): Promise<{ code: number | null; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

export async function startFakeApi(kubectlPath: string, handler: Handler): Promise<FakeApi> {
  const dir = mkdtempSync(join(tmpdir(), "fake-api-"));
  const requests: Captured[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const captured: Captured = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(captured);
      const path = captured.url.split("?")[0];
      const known = captured.method === "GET" ? discovery(path, (server.address() as AddressInfo).port) : undefined;
      const reply = known !== undefined ? { status: 200, body: known } : handler(captured);
      if ("stream" in reply) {
        res.writeHead(reply.status, { "content-type": "application/json" });
        for (const line of reply.stream) res.write(JSON.stringify(line) + "\n");
        res.end();
        return;
      }
      res.writeHead(reply.status, { "content-type": reply.contentType ?? "application/json" });
      res.end(typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(kubeconfig, [
    "apiVersion: v1", "kind: Config",
    `clusters: [{name: fake, cluster: {server: "http://127.0.0.1:${port}"}}]`,
    "users: [{name: fake, user: {}}]",
    "contexts: [{name: fake, context: {cluster: fake, user: fake, namespace: default}}]",
    "current-context: fake", "",
  ].join("\n"));

  return {
    requests,
    kubectl(args, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const child = spawn(kubectlPath, ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "cache"), ...args], {
          env: { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "", stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.on("error", (err) => { clearTimeout(timer); reject(err); });
        child.on("close", (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
