/**
 * Keeps cloud_core's serving certificate valid: after two thirds of its lifetime (plus a little jitter) a new one is
 * issued from the CA for the same names, written over the files, and swapped into the running servers (cloudhub, and
 * the embedded API) so new connections get it without a restart; links already up are not touched.
 *
 * @module
 */
import { backoffDelayMs, containedTimeout } from "../core/index.ts";
import type { Logger } from "../log/index.ts";
import { type CloudPki, certificateValidity, renewalTime, renewServerCertificate } from "../pki/index.ts";

/** A running server whose certificate can be swapped. */
export type ServingTarget = { name: string; setServingCertificate(pair: { cert: string; key: string }): boolean };

/** What the rotation needs. */
export type ServerCertRotationOptions = {
  pki: CloudPki;
  /** Files of the server certificate and key (cloud.yaml `cloudHub.tls.cert` / `key`). */
  paths: { cert: string; key: string };
  /** Extra names of the certificate (`cloudHub.advertiseAddress`). */
  hosts: string[];
  /** Lifetime of each new certificate (`cloudHub.serverCertValidity`). */
  validityMs: number;
  targets: ServingTarget[];
  /** First wait after a failed renewal; doubles per failure. @default 10000 ms */
  retryMinMs?: number;
  /** @default 600000 ms */
  retryMaxMs?: number;
  /** Randomness of the jitter, in [0, 1). @default Math.random */
  random?: () => number;
  log: Logger;
};

/** A running rotation. */
export type ServerCertRotation = { readonly rotations: number; stop(): void };

/** Longest single timer (setTimeout overflows past 2^31-1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Plans the first renewal of `pki.serverCert` and every one after it until `stop`. */
export function startServerCertRotation(o: ServerCertRotationOptions): ServerCertRotation {
  let current = o.pki.serverCert;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let failures = 0;
  let rotations = 0;
  const schedule = (ms: number) => {
    if (!stopped) timer = containedTimeout(tick, Math.max(0, Math.min(ms, MAX_TIMER_MS)), { log: o.log, what: "server certificate rotation" });
  };
  const plan = () => {
    const v = certificateValidity(current);
    schedule(renewalTime(v.notBefore, v.notAfter, o.random) - Date.now());
  };
  async function tick(): Promise<void> {
    const v = certificateValidity(current);
    if (Date.now() < renewalTime(v.notBefore, v.notAfter, () => 0)) return plan();
    try {
      const pair = await renewServerCertificate(o.pki, o.paths, { hosts: o.hosts, validityMs: o.validityMs });
      current = pair.cert;
      rotations++;
      failures = 0;
      const swapped = o.targets.filter((t) => t.setServingCertificate(pair)).map((t) => t.name);
      const next = certificateValidity(pair.cert);
      o.log.info("server certificate renewed", { serial: next.serial, notAfter: new Date(next.notAfter).toISOString(), swapped: swapped.join(",") });
      const stale = o.targets.filter((t) => !swapped.includes(t.name)).map((t) => t.name);
      if (stale.length) o.log.warn("this runtime cannot swap a live server's certificate; restart to serve the new one", { servers: stale.join(",") });
      plan();
    } catch (err) {
      const retryInMs = backoffDelayMs(failures++, { minMs: o.retryMinMs ?? 10_000, maxMs: o.retryMaxMs ?? 600_000 });
      o.log.warn("cannot renew server certificate", { cert: o.paths.cert, error: (err as Error).message, retryInMs });
      schedule(retryInMs);
    }
  }
  plan();
  return {
    get rotations() {
      return rotations;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
