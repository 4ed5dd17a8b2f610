/**
 * A real embedded API server for tests: HTTPS on a random 127.0.0.1 port with a throwaway certificate, a durable
 * store in a temp folder, the admin kubeconfig, and a kubectl environment with its own HOME. `restart()` stops the
 * server and starts it again on the same store files and port.
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startApiServer, type ApiServer, type ApiServerOptions } from "../../lib/cloud/apiserver/index.ts";
import { createLogger } from "../../lib/log/index.ts";
import { openStore, type Store } from "../../lib/store/index.ts";
import { kubectl, type KubectlEnv, type KubectlOptions, type KubectlResult } from "./kubectl.ts";
import { selfSignedTls, type TestTls } from "./tls.ts";

/** A running test API server and its helpers. */
export type TestApiServer = {
  api: ApiServer;
  store: Store;
  dir: string;
  tls: TestTls;
  env: KubectlEnv;
  kubectl(args: string[], options?: KubectlOptions): Promise<KubectlResult>;
  /** One HTTPS request with the admin token (or `token: null` for none); the body is sent as given. */
  request(method: string, path: string, options?: RawRequestOptions): Promise<RawResponse>;
  /** Stops and starts the server on the same store files and port. */
  restart(): Promise<void>;
  close(): Promise<void>;
};

/** Options of {@link TestApiServer.request}. */
export type RawRequestOptions = { headers?: Record<string, string>; body?: string | Uint8Array; token?: string | null };

/** A raw reply. */
export type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; text: string; json(): any };

type ExtraOptions = Omit<ApiServerOptions, "store" | "tls" | "dataDir" | "address">;

/** Starts a test API server; `extra` passes server options such as podStreams or short timeouts. */
export async function startTestApiServer(extra: ExtraOptions = {}): Promise<TestApiServer> {
  const dir = mkdtempSync(join(tmpdir(), "apiserver-test-"));
  const tls = await selfSignedTls();
  const log = createLogger("apiserver", { level: process.env.TEST_LOG === "debug" ? "debug" : "warn" });
  const dbPath = join(dir, "data", "cloud.db");
  const open = async (port: number) => {
    const store = await openStore(dbPath, { fsync: false, log: log.child("store") });
    const api = await startApiServer({ log, ...extra, store, tls, dataDir: join(dir, "data"), address: { host: "127.0.0.1", port } });
    return { store, api };
  };
  let current = await open(0);
  const env: KubectlEnv = { kubeconfig: current.api.kubeconfigPath!, home: join(dir, "home") };
  const t: TestApiServer = {
    get api() { return current.api; },
    get store() { return current.store; },
    dir, tls, env,
    kubectl: (args, options) => kubectl(env, args, options),
    request: (method, path, options = {}) =>
      new Promise<RawResponse>((resolve, reject) => {
        const token = options.token === undefined ? current.api.token : options.token;
        const headers: Record<string, string> = { ...(options.headers ?? {}) };
        if (token) headers.authorization = `Bearer ${token}`;
        if (options.body !== undefined) headers["content-length"] = String(Buffer.byteLength(options.body));
        const req = httpsRequest(`${current.api.url}${path}`, { method, headers, ca: tls.ca }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
          });
        });
        req.on("error", reject);
        req.end(options.body);
      }),
    async restart() {
      const port = current.api.port;
      await current.api.close();
      await current.store.close();
      current = await open(port);
    },
    async close() {
      await current.api.close();
      await current.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}
