/**
 * The typed client-node APIs the controllers write through, and small helpers for their errors and merge patches.
 *
 * @module
 */
import {
  ApiException, AppsV1Api, CoreV1Api, type KubeConfig, type KubernetesObject, KubernetesObjectApi, PatchStrategy, setHeaderOptions,
} from "@kubernetes/client-node";
import { statusOf } from "../api_status.ts";
export { statusOf };

/** The API clients of one kubeconfig. */
export type KubeApis = { core: CoreV1Api; apps: AppsV1Api; objects: KubernetesObjectApi };

/** Builds the clients. */
export function createKubeApis(kc: KubeConfig): KubeApis {
  return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api), objects: KubernetesObjectApi.makeApiClient(kc) };
}

/** Request options that send a patch body as a JSON merge patch (RFC 7386). */
export const MERGE_PATCH = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);


/** The API's message of a failed call (the Status body's `message`), else the error text. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiException) {
    const body = e.body as unknown;
    if (typeof body === "string") {
      try {
        const parsed = JSON.parse(body) as { message?: string };
        if (parsed.message) return parsed.message;
      } catch {
        return body || e.message;
      }
    } else if (body && typeof body === "object" && "message" in body) return String((body as { message: unknown }).message);
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * True when the object read by `read` (from the API) still has `uid` and is not being deleted; false when it is
 * gone.
 */
export async function stillLive(read: () => Promise<KubernetesObject>, uid: string | undefined): Promise<boolean> {
  try {
    const live = await read();
    return live.metadata?.uid === uid && !live.metadata?.deletionTimestamp;
  } catch (e) {
    if (statusOf(e) === 404) return false;
    throw e;
  }
}

/** How long to wait before retrying after an update conflict (HTTP 409): the cache catches up meanwhile. @default 50 */
const CONFLICT_RETRY_MS = 50;

/** For {@link WorkQueue}: conflicts are expected and retried quietly. */
export function conflictRetryMs(e: unknown): number | undefined {
  return statusOf(e) === 409 ? CONFLICT_RETRY_MS : undefined;
}
