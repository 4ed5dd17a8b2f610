/**
 * The CertRenewal module: waits until two thirds (plus a little jitter) of the node certificate's lifetime have
 * passed, renews it over the link, and plans the next renewal from the new certificate. See the face (`index.ts`).
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { backoffDelayMs, type Module, type ModuleContext } from "../../core/index.ts";
import { createLogger, type Logger } from "../../log/index.ts";
import { CERTIFICATE_GROUP, ModuleName } from "../../model/index.ts";
import { certificateValidity, renewalTime } from "../../pki/index.ts";
import { renewOnce } from "./renew_once.ts";

/** What CertRenewal needs. */
export type CertRenewalOptions = {
  /** This node's name: the CN of every certificate it asks for. */
  nodeName: string;
  /** Paths of the CA certificate, the node certificate and its key (edge.yaml `edgeHub.tls`). */
  tls: { ca: string; cert: string; key: string };
  /** How long a request waits for the cloud's answer. @default 60000 ms */
  requestTimeoutMs?: number;
  /** First wait after a failed renewal; doubles per failure. @default 10000 ms */
  retryMinMs?: number;
  /** Longest wait between failed renewals. @default 600000 ms */
  retryMaxMs?: number;
  /** Randomness of the renewal jitter, in [0, 1). @default Math.random */
  random?: () => number;
  log?: Logger;
};

/** How often an expired certificate is looked at again (the user may have joined again and replaced it). */
const EXPIRED_RECHECK_MS = 60_000;
/** Longest single timer (setTimeout overflows past 2^31-1 ms); longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Renews the node certificate before it expires. Register it before EdgeHub. */
export class CertRenewal implements Module {
  readonly name = ModuleName.certRenewal;
  readonly group = CERTIFICATE_GROUP;
  /** Renewals done and failed since start. */
  readonly counts = { renewed: 0, failed: 0 };
  readonly #o: Required<Omit<CertRenewalOptions, "log">>;
  readonly #log: Logger;

  constructor(options: CertRenewalOptions) {
    this.#o = { requestTimeoutMs: 60_000, retryMinMs: 10_000, retryMaxMs: 600_000, random: Math.random, ...options };
    this.#log = options.log ?? createLogger(ModuleName.certRenewal);
  }

  async start(ctx: ModuleContext): Promise<void> {
    const loop = this.#run(ctx);
    // link announcements reach every module; nothing else is sent here
    for await (const _ of ctx.inbox);
    await loop;
  }

  async #run(ctx: ModuleContext): Promise<void> {
    const o = this.#o;
    let failures = 0;
    while (!ctx.signal.aborted) {
      let waitMs: number;
      try {
        waitMs = await this.#untilDue();
        if (waitMs <= 0) {
          const r = await renewOnce({ bus: ctx.bus, nodeName: o.nodeName, tls: o.tls, timeoutMs: o.requestTimeoutMs, signal: ctx.signal });
          this.counts.renewed++;
          failures = 0;
          this.#log.info("node certificate renewed", { node: o.nodeName, serial: r.serial, notAfter: new Date(r.notAfter).toISOString() });
          continue;
        }
      } catch (err) {
        if (ctx.signal.aborted) return;
        this.counts.failed++;
        waitMs = backoffDelayMs(failures++, { minMs: o.retryMinMs, maxMs: o.retryMaxMs });
        this.#log.warn("cannot renew node certificate", { node: o.nodeName, cert: o.tls.cert, error: (err as Error).message, retryInMs: waitMs });
      }
      await sleep(Math.min(waitMs, MAX_TIMER_MS), undefined, { signal: ctx.signal }).catch(() => {});
    }
  }

  /** @returns ms until the certificate is due for renewal (0 or less: now) */
  async #untilDue(): Promise<number> {
    const o = this.#o;
    const v = certificateValidity(await readFile(o.tls.cert, "utf8"));
    const now = Date.now();
    if (now >= v.notAfter) {
      // the handshake refuses an expired certificate, so it cannot be renewed over the link
      this.#log.error("node certificate expired; join again with a new token", { node: o.nodeName, cert: o.tls.cert, notAfter: new Date(v.notAfter).toISOString() });
      return EXPIRED_RECHECK_MS;
    }
    const at = renewalTime(v.notBefore, v.notAfter, o.random);
    if (at > now) this.#log.info("node certificate renewal planned", { node: o.nodeName, at: new Date(at).toISOString(), notAfter: new Date(v.notAfter).toISOString() });
    return at - now;
  }
}
