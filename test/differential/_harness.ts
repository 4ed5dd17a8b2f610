/**
 * Differential tests: the same request (raw HTTP, or a kubectl command) goes to the embedded API and to a real
 * kube-apiserver 1.28.7 (`test/support/realk8s.ts`), both answers are normalised (uids, resourceVersions, times,
 * generated names, server addresses) and compared field by field. A difference fails the check unless it is on
 * the check's list of known differences, each with the reason we differ.
 *
 * Each file gets one namespace, of the same name on both servers, and prints `differential: N of M checks match`
 * at the end.
 *
 * @example One check
 * ```ts
 * const d = await startDifferential("labels");
 * if (!d) return;
 * await d.request("a bad label key is refused", "POST", "/api/v1/namespaces/{ns}/configmaps", body);
 * ```
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { randomBytes } from "node:crypto";
import * as yaml from "js-yaml";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.ts";
import { kubectl, type KubectlEnv, type KubectlResult } from "../support/kubectl.ts";
import { useRealK8s, type RealK8s } from "../support/realk8s.ts";

/** A reply as compared: status, decoded body (text when not JSON) and the `Warning` headers. */
export type Reply = { status: number; body: unknown; warnings: string[] };

/** Options of one request. */
export type RequestOptions = {
  /** Content-Type of the body; JSON by default. */
  contentType?: string;
  /** Extra headers, e.g. `accept` for a Table. */
  headers?: Record<string, string>;
  /** Differences this check expects, with their reasons. */
  known?: Known[];
};

/** A difference we choose, or cannot avoid: the path (prefix or pattern) of the normalised reply and why. */
export type Known = { path: string | RegExp; why: string };

/** One server, addressed with its admin credentials. */
export type Side = {
  name: "embedded" | "real";
  env: KubectlEnv;
  request(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<Reply>;
  kubectl(args: string[], stdin?: string): Promise<KubectlResult>;
};

type Credentials = { server: string; ca?: Buffer; cert?: Buffer; key?: Buffer; token?: string };

function fromKubeconfig(path: string): Credentials {
  const cfg = yaml.load(readFileSync(path, "utf8")) as any;
  const ctx = cfg.contexts.find((c: any) => c.name === cfg["current-context"]).context;
  const cluster = cfg.clusters.find((c: any) => c.name === ctx.cluster).cluster;
  const user = cfg.users.find((u: any) => u.name === ctx.user).user;
  const data = (inline: string | undefined, file: string | undefined) =>
    inline ? Buffer.from(inline, "base64") : file ? readFileSync(file) : undefined;
  return {
    server: cluster.server,
    ca: data(cluster["certificate-authority-data"], cluster["certificate-authority"]),
    cert: data(user["client-certificate-data"], user["client-certificate"]),
    key: data(user["client-key-data"], user["client-key"]),
    token: user.token,
  };
}

function makeSide(name: Side["name"], env: KubectlEnv, ns: string): Side {
  const creds = fromKubeconfig(env.kubeconfig);
  return {
    name, env,
    request: (method, path, body, options = {}) =>
      new Promise<Reply>((resolve, reject) => {
        const headers: Record<string, string> = { accept: "application/json", ...(options.headers ?? {}) };
        if (creds.token) headers.authorization = `Bearer ${creds.token}`;
        const text = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
        if (text !== undefined) {
          headers["content-type"] = options.contentType ?? "application/json";
          headers["content-length"] = String(Buffer.byteLength(text));
        }
        const url = creds.server + path.replaceAll("{ns}", ns);
        const req = httpsRequest(url, { method, headers, ca: creds.ca, cert: creds.cert, key: creds.key, timeout: 30_000 }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const raw = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown = raw;
            try {
              parsed = JSON.parse(raw);
            } catch { /* kept as text */ }
            const w = res.headers.warning;
            const warnings = (Array.isArray(w) ? w : w ? [w] : []).flatMap((h) => h.split(/,\s*(?=299 )/));
            resolve({ status: res.statusCode ?? 0, body: parsed, warnings });
          });
        });
        req.on("timeout", () => req.destroy(new Error(`${name}: ${method} ${path} timed out`)));
        req.on("error", reject);
        req.end(text);
      }),
    kubectl: (args, stdin) => kubectl(env, args.map((a) => a.replaceAll("{ns}", ns)), { stdin: stdin?.replaceAll("{ns}", ns), timeoutMs: 60_000 }),
  };
}

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const AGE = /^(\d+d)?(\d+h)?(\d+m)?(\d+s)?$/;

/** The reply with what legitimately differs between two servers replaced by placeholders. */
export function normalise(value: unknown, key = "", inCells = false): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, key, inCells || key === "cells"));
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    const generated = typeof obj.generateName === "string" && typeof obj.name === "string" && obj.name.startsWith(obj.generateName);
    for (const [k, v] of Object.entries(obj)) {
      if (k === "name" && generated) out[k] = `${obj.generateName}<suffix>`;
      else if ((k === "resourceVersion" || k === "continue") && typeof v === "string" && v !== "") out[k] = `<${k}>`;
      else out[k] = normalise(v, k, inCells);
    }
    return out;
  }
  if (typeof value === "string") {
    if (TIME.test(value)) return "<time>";
    if (UUID.test(value)) return "<uid>";
    if (inCells && value && AGE.test(value)) return "<age>";
    return normaliseText(value);
  }
  return value;
}

/** Text with server addresses, times and uids replaced by placeholders. */
export function normaliseText(text: string): string {
  return text
    .replace(/https:\/\/127\.0\.0\.1:\d+/g, "<server>")
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, "<time>")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uid>");
}

/** Field-by-field differences of two normalised values, as `path: embedded … real …` lines. */
export function differences(a: unknown, b: unknown, path = ""): { path: string; embedded: unknown; real: unknown }[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    const out = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...differences(a[i], b[i], `${path}[${i}]`));
    return out;
  }
  const isObj = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const ao = a as Record<string, unknown>, bo = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort();
    return keys.flatMap((k) => differences(ao[k], bo[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path, embedded: a, real: b }];
}

function isKnown(path: string, known: readonly Known[]): boolean {
  return known.some((k) => (typeof k.path === "string" ? path === k.path || path.startsWith(`${k.path}.`) || path.startsWith(`${k.path}[`) : k.path.test(path)));
}

/** A pair of servers and the tally of checks. */
export type Differential = {
  /** The namespace of this file, on both servers. */
  ns: string;
  embedded: Side;
  real: Side;
  /** The embedded test server (for what only it has, such as its store). */
  test: TestApiServer;
  /**
   * Sends one request to both servers and compares the normalised replies.
   *
   * @throws AssertionError-like Error listing every unexplained difference
   * @returns both replies, normalised
   */
  request(what: string, method: string, path: string, body?: unknown, options?: RequestOptions): Promise<{ embedded: Reply; real: Reply }>;
  /** Runs one kubectl command against both and compares exit code, stdout and stderr (normalised). */
  kubectl(what: string, args: string[], options?: { stdin?: string; known?: Known[] }): Promise<{ embedded: KubectlResult; real: KubectlResult }>;
  /** Compares two values already obtained from each side (for multi-step sequences). */
  compare(what: string, embedded: unknown, real: unknown, known?: Known[]): void;
  /** Prints the tally and frees both servers (deleting the namespace on the real one). */
  close(): Promise<void>;
};

/**
 * Starts the embedded API, joins the real control plane and makes the file's namespace on both.
 *
 * @param tag a short name for the namespace (`diff-<tag>-<random>`)
 * @returns undefined after a skip, when the real control plane is not available here
 */
export async function startDifferential(tag: string): Promise<Differential | undefined> {
  const k8s: RealK8s | undefined = await useRealK8s();
  if (!k8s) return undefined;
  const test = await startTestApiServer();
  const ns = `diff-${tag}-${randomBytes(3).toString("hex")}`;
  const embedded = makeSide("embedded", test.env, ns);
  const real = makeSide("real", { kubeconfig: k8s.kubeconfig, home: `${test.dir}/home-real` }, ns);
  let checks = 0, same = 0, explained = 0;
  const compare = (what: string, e: unknown, r: unknown, known: readonly Known[] = []) => {
    checks++;
    const diffs = differences(normalise(e), normalise(r));
    const unexplained = diffs.filter((d) => !isKnown(d.path, known));
    if (diffs.length === 0) same++;
    else if (unexplained.length === 0) explained++;
    else {
      const lines = unexplained.map((d) => `  ${d.path || "(whole)"}: embedded ${JSON.stringify(d.embedded)} / real ${JSON.stringify(d.real)}`);
      throw new Error(`differential check "${what}" differs:\n${lines.join("\n")}`);
    }
  };
  for (const side of [embedded, real]) {
    const r = await side.request("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    if (r.status !== 201) throw new Error(`${side.name}: cannot create namespace ${ns}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  return {
    ns, embedded, real, test,
    async request(what, method, path, body, options = {}) {
      const [e, r] = await Promise.all([embedded.request(method, path, body, options), real.request(method, path, body, options)]);
      compare(what, e, r, options.known);
      return { embedded: e, real: r };
    },
    async kubectl(what, args, options = {}) {
      const e = await embedded.kubectl(args, options.stdin);
      const r = await real.kubectl(args, options.stdin);
      compare(what, e, r, options.known);
      return { embedded: e, real: r };
    },
    compare,
    async close() {
      process.stdout.write(`differential: ${same + explained} of ${checks} checks match (${explained} with explained differences)\n`);
      await real.request("DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
      await test.close();
      await k8s.release();
    },
  };
}
