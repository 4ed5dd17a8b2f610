/**
 * Runs one probe once: exec (through the engine's exec API; success is exit code 0), httpGet (to the pod IP; success
 * is a status from 200 to 399) or tcpSocket (success is an accepted connection), each bounded by the probe's timeout.
 *
 * @module
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import { VERSION } from "../../version.ts";
import type { ContainerRuntime } from "./runtime/index.ts";
import type { Container, Probe } from "./types.ts";

/** What a probe runs against. */
export type ProbeTarget = { runtime: ContainerRuntime; containerId: string; container: Container; podIP: string };

/** The outcome of one check; `detail` says why it failed. */
export type ProbeOutcome = { ok: boolean; detail: string };

const OUTPUT_LIMIT_BYTES = 10_240;

/** Runs `probe` once against `target`. Never throws: every failure is an outcome. */
export async function checkProbe(probe: Probe, target: ProbeTarget): Promise<ProbeOutcome> {
  const timeoutMs = Math.max(1, probe.timeoutSeconds ?? 1) * 1000;
  try {
    if (probe.exec) return await checkExec(probe.exec.command ?? [], target, timeoutMs);
    if (probe.httpGet) return await checkHttp(probe.httpGet, target, timeoutMs);
    if (probe.tcpSocket) return await checkTcp(probe.tcpSocket, target, timeoutMs);
    return { ok: false, detail: "probe has no handler (exec, httpGet or tcpSocket)" };
  } catch (e) {
    return { ok: false, detail: e instanceof Error ? e.message : String(e) };
  }
}

async function checkExec(command: string[], t: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  const signal = AbortSignal.timeout(timeoutMs);
  const session = await t.runtime.exec(t.containerId, { command, signal });
  let output = "";
  const collect = (chunk: Buffer) => {
    if (output.length < OUTPUT_LIMIT_BYTES) output += chunk.toString("utf8");
  };
  session.stdout.on("data", collect);
  session.stderr.on("data", collect);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), timeoutMs)));
  const code = await Promise.race([session.exit, timedOut]);
  clearTimeout(timer);
  if (code === "timeout") {
    session.close();
    return { ok: false, detail: `command timed out after ${timeoutMs} ms` };
  }
  return { ok: code === 0, detail: code === 0 ? "" : `command exited with ${code}: ${output.trim().slice(0, 200)}` };
}

async function checkHttp(h: NonNullable<Probe["httpGet"]>, t: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  const port = resolvePort(h.port, t.container);
  const host = h.host || t.podIP || "127.0.0.1";
  const scheme = (h.scheme ?? "HTTP").toLowerCase();
  const path = h.path ? (h.path.startsWith("/") ? h.path : `/${h.path}`) : "/";
  const headers: Record<string, string> = { "user-agent": `kube-probe/${VERSION}`, accept: "*/*" };
  for (const x of h.httpHeaders ?? []) headers[x.name.toLowerCase()] = x.value;
  // the kubelet does not verify the certificate of an HTTPS probe, and opens a new connection for each check
  const request = scheme === "https" ? httpsRequest : httpRequest;
  const status = await new Promise<number>((resolve, reject) => {
    const req = request({ host, port, path, method: "GET", headers, agent: false, rejectUnauthorized: false, signal: AbortSignal.timeout(timeoutMs) }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", (e) => reject(e.name === "AbortError" ? new Error(`timed out after ${timeoutMs} ms`) : e));
    req.end();
  });
  const ok = status >= 200 && status < 400;
  return { ok, detail: ok ? "" : `HTTP probe failed with statuscode: ${status}` };
}

function checkTcp(s: NonNullable<Probe["tcpSocket"]>, t: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  const port = resolvePort(s.port, t.container);
  const host = s.host || t.podIP || "127.0.0.1";
  return new Promise((resolve) => {
    const sock = connect({ host, port, timeout: timeoutMs });
    sock.once("connect", () => {
      sock.destroy();
      resolve({ ok: true, detail: "" });
    });
    sock.once("timeout", () => {
      sock.destroy();
      resolve({ ok: false, detail: `dial tcp ${host}:${port}: timed out after ${timeoutMs} ms` });
    });
    sock.once("error", (e) => resolve({ ok: false, detail: `dial tcp ${host}:${port}: ${e.message}` }));
  });
}

function resolvePort(port: number | string, c: Container): number {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = c.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`port "${port}" is not a named port of container "${c.name}"`);
  return named.containerPort;
}
