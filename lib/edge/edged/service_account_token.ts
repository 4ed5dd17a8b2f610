/**
 * The token file of a `serviceAccountToken` projection: the cloud obtains the pod's tokens and sends them as one
 * `serviceaccounttoken` object named after the pod (lib/model/service_account_token.ts), which MetaManager stores,
 * so a restart while offline still has them until they expire. A token that is missing, failed or expired gives the
 * reason instead: the pod starts without the file and the reason is reported as an Event. A token past its reported
 * expiry (the cloud could not renew it) is still written, as the kubelet keeps the last token it had: a real apiserver
 * accepts the kubelet's tokens well beyond what it reports.
 *
 * @module
 */
import { parsePodTokens, tokenKey } from "../../model/index.ts";
import type { EnvDeps } from "./env.ts";
import type { Pod } from "./types.ts";

/** The kubelet's lifetime of a projected token without expirationSeconds. */
const DEFAULT_SECONDS = 3600;

/** A token to write (with a warning when it is past its renewal), or why there is none. */
export type TokenOutcome = { token: Uint8Array; stale?: string } | { missing: string };

/**
 * Finds the token for one projection of `pod`.
 *
 * @throws BusError when MetaManager does not answer (the pass is retried)
 */
export async function projectedToken(pod: Pod, source: { audience?: string; expirationSeconds?: number }, deps: EnvDeps): Promise<TokenOutcome> {
  const ns = pod.metadata.namespace ?? "default", name = pod.metadata.name ?? "";
  const found = await deps.objects.get<unknown>(ns, "serviceaccounttoken", name, deps.signal);
  if (!found.found) return { missing: "no token received from the cloud (it is unreachable, or has not sent one yet)" };
  const tokens = parsePodTokens(found.object);
  if (!tokens) return { missing: "the tokens received from the cloud are malformed" };
  if (tokens.metadata.uid !== pod.metadata.uid) return { missing: "the tokens received from the cloud are for an earlier pod of the same name" };
  const want = tokenKey(source.audience, source.expirationSeconds ?? DEFAULT_SECONDS);
  const t = tokens.tokens.find((x) => tokenKey(x.audience, x.expirationSeconds) === want);
  if (!t) return { missing: `the cloud sent no token for audience "${source.audience ?? ""}"` };
  if (t.error) return { missing: t.error };
  if (!t.token) return { missing: "the cloud sent an empty token" };
  const expires = Date.parse(t.expirationTimestamp ?? "");
  const token = Buffer.from(t.token, "utf8");
  if (Number.isFinite(expires) && expires <= Date.now()) return { token, stale: `the token expired at ${t.expirationTimestamp} and the cloud has not renewed it` };
  return { token };
}
