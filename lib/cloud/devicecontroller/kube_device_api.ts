/**
 * {@link DeviceApi} over `@kubernetes/client-node` with standard calls only (CustomObjectsApi list/get/patch and a
 * list+watch), so it works against a real cluster and the embedded API alike.
 *
 * @module
 */
import {
  ApiException, CustomObjectsApi, type KubeConfig, type KubernetesListObject, type KubernetesObject, ListWatch,
  PatchStrategy, setHeaderOptions, Watch,
} from "@kubernetes/client-node";
import { backoffDelayMs, contain } from "../../core/index.ts";
import type { Logger } from "../../log/index.ts";
import { type DeviceApi, DeviceApiError, type WatchHandlers } from "./device_api.ts";
import type { DeviceCR, DeviceModelCR } from "./types.ts";

const GROUP = "devices.kubeedge.io";
const VERSION = "v1alpha1";
const MERGE_PATCH = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

function apiError(action: string, err: unknown): DeviceApiError {
  return new DeviceApiError(statusOf(err), `Cannot ${action}: ${reasonOf(err)}`, { cause: err });
}

/** HTTP status of a client-node failure (0 when no response came). */
function statusOf(err: unknown): number {
  if (err instanceof ApiException) return err.code;
  const code = (err as { statusCode?: unknown; code?: unknown } | undefined)?.statusCode ?? (err as { code?: unknown } | undefined)?.code;
  return typeof code === "number" ? code : 0;
}

/** The API's own message of a failure when it sent one, else the error's message. */
function reasonOf(err: unknown): string {
  if (err instanceof ApiException) {
    const body = typeof err.body === "string" ? safeJson(err.body) : err.body;
    if (body && typeof body === "object" && "message" in body) return String((body as { message: unknown }).message);
  }
  return err instanceof Error ? err.message : String(err);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Device and DeviceModel access through client-node. */
export class KubeDeviceApi implements DeviceApi {
  readonly #kc: KubeConfig;
  readonly #api: CustomObjectsApi;
  readonly #log: Logger;
  readonly #retryMs: number;
  readonly #retryMaxMs: number;
  readonly #watches: ListWatch<KubernetesObject>[] = [];
  #stopped = false;

  constructor(kc: KubeConfig, options: { log: Logger; retryMs: number; retryMaxMs: number }) {
    this.#kc = kc;
    this.#api = kc.makeApiClient(CustomObjectsApi);
    this.#log = options.log;
    this.#retryMs = options.retryMs;
    this.#retryMaxMs = options.retryMaxMs;
  }

  watchDevices(handlers: WatchHandlers<DeviceCR>): Promise<void> {
    return this.#watch("devices", handlers as WatchHandlers<KubernetesObject>);
  }

  watchModels(handlers: WatchHandlers<DeviceModelCR>): Promise<void> {
    return this.#watch("devicemodels", handlers as WatchHandlers<KubernetesObject>);
  }

  /**
   * Lists then watches `plural`. A failed first list stops this ListWatch and throws, so the caller's backoff alone
   * decides when to try again; a watch that fails later is restarted here with its own backoff, reset by a good list.
   */
  async #watch(plural: string, handlers: WatchHandlers<KubernetesObject>): Promise<void> {
    let listed = false;
    let lastError: unknown;
    let failures = 0;
    const list = async (): Promise<KubernetesListObject<KubernetesObject>> => {
      const result = (await this.#api.listClusterCustomObject({ group: GROUP, version: VERSION, plural })) as KubernetesListObject<KubernetesObject>;
      listed = true;
      failures = 0;
      return result;
    };
    const lw = new ListWatch<KubernetesObject>(`/apis/${GROUP}/${VERSION}/${plural}`, new Watch(this.#kc), list, false);
    this.#watches.push(lw);
    // a Device this controller cannot read is logged and skipped: it must not stop the watch or the process
    const guarded = (event: "add" | "update" | "delete") => (o: KubernetesObject) =>
      contain(handlers[event], { log: this.#log, what: `${plural} ${event} handler`, context: { object: `${o.metadata?.namespace}/${o.metadata?.name}` } })(o);
    lw.on("add", guarded("add"));
    lw.on("update", guarded("update"));
    lw.on("delete", guarded("delete"));
    // client-node stops a ListWatch when its watch fails: start it again (it relists and reports what changed).
    lw.on("error", (err) => {
      lastError = err;
      if (this.#stopped || !listed) return;
      const inMs = backoffDelayMs(failures++, { minMs: this.#retryMs, maxMs: this.#retryMaxMs });
      this.#log.warn("watch failed, restarting", { resource: plural, error: err instanceof Error ? err.message : String(err), inMs });
      setTimeout(() => {
        if (!this.#stopped) void lw.start().catch((e: unknown) => this.#log.warn("watch restart failed", { resource: plural, error: String(e) }));
      }, inMs).unref();
    });
    await lw.start();
    if (!listed) {
      await lw.stop();
      if (this.#stopped) return;
      throw new DeviceApiError(statusOf(lastError), `Cannot list ${plural}.${GROUP}: ${reasonOf(lastError)}`, { cause: lastError });
    }
    this.#watches.push(lw);
  }

  async getDevice(namespace: string, name: string): Promise<DeviceCR | undefined> {
    try {
      return (await this.#api.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: "devices", name })) as DeviceCR;
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return undefined;
      throw apiError(`read device "${namespace}/${name}"`, err);
    }
  }

  async patchDevice(namespace: string, name: string, patch: object, subresource?: "status"): Promise<DeviceCR> {
    const req = { group: GROUP, version: VERSION, namespace, plural: "devices", name, body: patch };
    try {
      const out = subresource === "status"
        ? await this.#api.patchNamespacedCustomObjectStatus(req, MERGE_PATCH)
        : await this.#api.patchNamespacedCustomObject(req, MERGE_PATCH);
      return out as DeviceCR;
    } catch (err) {
      throw apiError(`patch device "${namespace}/${name}"${subresource ? " status" : ""}`, err);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#watches.splice(0).map((w) => w.stop()));
  }
}
