/**
 * The device's side of the join endpoints (lib/cloud/join): fetch the CA without trusting it, then ask for a
 * certificate over TLS that trusts only that CA. Every failure is a CommandError of one line naming the cloud.
 *
 * @module
 */
import { request, type RequestOptions } from "node:https";
import { caCertHash } from "../pki/index.ts";
import { CommandError } from "./run_main.ts";

/** Largest answer read from the cloud: a CA or a certificate and a CA in JSON. */
const MAX_ANSWER_BYTES = 64 * 1024;
const TIMEOUT_MS = 15_000;

/** Where cloudhub is. */
export type CloudAddress = { host: string; port: number };

type Answer = { status: number; text: string };

function call(cloud: CloudAddress, path: string, tls: RequestOptions, body?: string): Promise<Answer> {
  const where = `${cloud.host.includes(":") ? `[${cloud.host}]` : cloud.host}:${cloud.port}`;
  return new Promise((resolve, reject) => {
    const req = request({
      host: cloud.host, port: cloud.port, path, method: body === undefined ? "GET" : "POST", timeout: TIMEOUT_MS, agent: false,
      headers: body === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      ...tls,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER_BYTES) {
          req.destroy();
          reject(new CommandError(`cloud ${where} answered ${path} with more than ${MAX_ANSWER_BYTES} bytes: is this a kubeedge-ts cloudhub?`));
        } else chunks.push(c);
      });
      res.once("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.once("error", (e) => reject(new CommandError(`cannot read answer of cloud ${where}: ${e.message}`)));
    });
    req.once("timeout", () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.once("error", (e: NodeJS.ErrnoException) => {
      if (e instanceof CommandError) return reject(e);
      const tlsFailure = /CERT|SSL|TLS|self.signed|altname|Hostname/i.test(`${e.code ?? ""} ${e.message}`);
      reject(new CommandError(tlsFailure
        ? `cloud ${where} does not prove itself with the pinned CA: ${e.message}`
        : `cannot reach cloud ${where}: ${e.code ?? e.message}${e.code && e.message && !e.message.includes(e.code) ? ` (${e.message})` : ""}`));
    });
    req.end(body);
  });
}

/**
 * Fetches the CA from `GET /join/v1/ca` (server not verified: the CA is what is being learned) and checks its hash
 * against `pin`.
 *
 * @returns the CA PEM
 * @throws CommandError "CA hash mismatch: ..." when it is not the pinned CA, or when the cloud cannot be reached
 */
export async function fetchPinnedCa(cloud: CloudAddress, pin: string): Promise<string> {
  const a = await call(cloud, "/join/v1/ca", { rejectUnauthorized: false });
  if (a.status !== 200) throw new CommandError(`cloud ${cloud.host}:${cloud.port} answered GET /join/v1/ca with HTTP ${a.status}: ${refusalText(a.text)}`);
  let hash: string;
  try {
    hash = caCertHash(a.text);
  } catch {
    throw new CommandError(`cloud ${cloud.host}:${cloud.port} answered GET /join/v1/ca with something that is not a PEM certificate`);
  }
  if (hash !== pin) {
    throw new CommandError(`CA hash mismatch: cloud ${cloud.host}:${cloud.port} shows a CA with ${hash}, the token pins ${pin} (man in the middle or wrong cloud?)`);
  }
  return a.text;
}

/**
 * Sends the token and CSR to `POST /join/v1/certificate`, trusting only `ca` (and checking the server's name).
 *
 * @returns the node certificate (PEM)
 * @throws CommandError with the cloud's reason (wrong or expired token, name taken, bad request)
 */
export async function requestNodeCertificate(cloud: CloudAddress, ca: string, body: { token: string; node: string; csr: string }): Promise<string> {
  const a = await call(cloud, "/join/v1/certificate", { ca, rejectUnauthorized: true }, JSON.stringify(body));
  if (a.status !== 200) throw new CommandError(`join refused by cloud ${cloud.host}:${cloud.port} (HTTP ${a.status}): ${refusalText(a.text)}`);
  let cert: unknown;
  try {
    cert = (JSON.parse(a.text) as { certificate?: unknown }).certificate;
  } catch {
    cert = undefined;
  }
  if (typeof cert !== "string") throw new CommandError(`cloud ${cloud.host}:${cloud.port} answered the join without a certificate`);
  return cert;
}

/** The `message` of a JSON refusal, or the start of the text, printable on one line. */
function refusalText(text: string): string {
  let msg = text;
  try {
    const o = JSON.parse(text) as { message?: unknown };
    if (typeof o.message === "string") msg = o.message;
  } catch {
    // not JSON: show the start of the text
  }
  return msg.replace(/\s+/g, " ").trim().slice(0, 300) || "(no message)";
}
