/**
 * Service-account tokens for the pods of edge nodes, obtained by the cloud as the kubelet obtains them: one
 * TokenRequest per `serviceAccountToken` projection of the pod's volumes, for the pod's ServiceAccount, bound to the
 * pod, with the audience and lifetime the projection asks. A token is renewed once 80 % of its lifetime has passed
 * (the kubelet's rule); a token that could not be had is asked again after a back-off. Only pods of a node with a
 * live link cost TokenRequests: the caller asks when it is about to send.
 *
 * @module
 */
import type { V1Pod } from "@kubernetes/client-node";
import type { Logger } from "../../log/index.ts";
import { tokenKey, type PodToken, type PodTokens } from "../../model/index.ts";
import { type EdgeKubeApi, messageOf } from "./kube_api.ts";
import { podKey } from "./node_index.ts";

/** One `serviceAccountToken` projection. */
export type TokenProjection = { audience?: string; expirationSeconds: number };

/** The kubelet's default lifetime of a projected token without expirationSeconds. */
const DEFAULT_SECONDS = 3600;
const RENEW_FRACTION = 0.8;

/** The distinct token projections of a pod's volumes. */
export function tokenProjections(pod: V1Pod): TokenProjection[] {
  const out = new Map<string, TokenProjection>();
  for (const v of pod.spec?.volumes ?? []) {
    for (const s of v.projected?.sources ?? []) {
      const t = s.serviceAccountToken;
      if (!t) continue;
      const p: TokenProjection = { expirationSeconds: t.expirationSeconds ?? DEFAULT_SECONDS };
      if (t.audience) p.audience = t.audience;
      out.set(tokenKey(p.audience, p.expirationSeconds), p);
    }
  }
  return [...out.values()];
}

/** Options of {@link PodTokenIssuer}. */
export type PodTokenIssuerOptions = {
  api: EdgeKubeApi;
  log: Logger;
  /** Called (with `<ns>/<name>`) when a pod's tokens are due for renewal; the caller sends them again. */
  onRenew(pod: string): void;
  /** First retry delay of a token that could not be had, doubling up to 5 min. @default 10000 (ms) */
  retryMs?: number;
};

type Entry = { uid: string; sa: string; keys: string; bundle: PodTokens; renewAt: number; failures: number; timer?: ReturnType<typeof setTimeout> };

/** Obtains, caches and renews the tokens of pods. */
export class PodTokenIssuer {
  readonly #o: PodTokenIssuerOptions;
  readonly #entries = new Map<string, Entry>();
  #lastVersion = 0;

  constructor(options: PodTokenIssuerOptions) {
    this.#o = options;
  }

  /**
   * The tokens of a pod, from the cache while none is due, else freshly requested. Never throws: a token that cannot
   * be had carries the reason in `error`.
   *
   * @returns undefined for a pod without token projections
   */
  async tokensFor(pod: V1Pod): Promise<PodTokens | undefined> {
    const key = podKey(pod);
    const projections = tokenProjections(pod);
    if (projections.length === 0) {
      this.forget(key);
      return undefined;
    }
    const uid = pod.metadata?.uid ?? "";
    const sa = pod.spec?.serviceAccountName || "default";
    const keys = projections.map((p) => tokenKey(p.audience, p.expirationSeconds)).join(",");
    const cached = this.#entries.get(key);
    if (cached && cached.uid === uid && cached.sa === sa && cached.keys === keys && Date.now() < cached.renewAt) return cached.bundle;
    const ns = pod.metadata?.namespace ?? "default", name = pod.metadata?.name ?? "";
    const tokens = await Promise.all(projections.map((p) => this.#request(ns, sa, { name, uid }, p)));
    const failed = tokens.filter((t) => t.error);
    const failures = failed.length ? (cached?.failures ?? 0) + 1 : 0;
    const now = Date.now();
    const renewAt = failed.length
      ? now + Math.min((this.#o.retryMs ?? 10_000) * 2 ** Math.min(failures - 1, 10), 300_000)
      : Math.min(...tokens.map((t, i) => now + projections[i]!.expirationSeconds * 1000 * RENEW_FRACTION));
    this.#lastVersion = Math.max(now, this.#lastVersion + 1);
    const bundle: PodTokens = {
      apiVersion: "v1", kind: "PodServiceAccountTokens",
      metadata: { name, namespace: ns, uid, resourceVersion: String(this.#lastVersion) },
      serviceAccountName: sa, tokens,
    };
    if (failed.length) this.#o.log.warn("cannot get service account token", { pod: key, serviceAccount: sa, error: failed[0]!.error, failures });
    this.#set(key, { uid, sa, keys, bundle, renewAt, failures });
    return bundle;
  }

  async #request(ns: string, sa: string, pod: { name: string; uid: string }, p: TokenProjection): Promise<PodToken> {
    const out: PodToken = { expirationSeconds: p.expirationSeconds };
    if (p.audience) out.audience = p.audience;
    try {
      const got = await this.#o.api.createToken(ns, sa, { audiences: p.audience ? [p.audience] : undefined, expirationSeconds: p.expirationSeconds, pod });
      out.token = got.token;
      out.expirationTimestamp = got.expirationTimestamp.toISOString().replace(/\.\d+Z$/, "Z");
    } catch (e) {
      out.error = messageOf(e);
    }
    return out;
  }

  #set(key: string, e: Entry): void {
    const old = this.#entries.get(key);
    if (old?.timer) clearTimeout(old.timer);
    e.timer = setTimeout(() => this.#o.onRenew(key), Math.max(0, e.renewAt - Date.now()));
    e.timer.unref?.();
    this.#entries.set(key, e);
  }

  /** Forgets a pod (deleted, moved, or without tokens now). */
  forget(key: string): void {
    const e = this.#entries.get(key);
    if (e?.timer) clearTimeout(e.timer);
    this.#entries.delete(key);
  }

  /** Stops every renewal timer. */
  stop(): void {
    for (const key of [...this.#entries.keys()]) this.forget(key);
  }
}
