/**
 * Makes images present according to a container's imagePullPolicy, with one pull per image at a time and back-off
 * after a failed pull (ErrImagePull, then ImagePullBackOff while the back-off lasts). The busybox image Edged uses
 * for sandboxes is built locally instead of pulled. Each step is told to the caller's {@link ImageEvents} with the
 * kubelet's reasons (Pulling, Pulled, Failed, BackOff, ErrImageNeverPull), for the Events of the pod.
 *
 * @module
 */
import type { Logger } from "../../log/index.ts";
import type { Waiting } from "./pod_status.ts";
import { RestartBackoff } from "./restart_backoff.ts";
import { BUSYBOX_IMAGE, type ContainerRuntime, ensureBusyboxImage, splitImageRef } from "./runtime/index.ts";

/** Receives what happened to an image for one container, as an Event reason and message. */
export type ImageEvents = (type: "Normal" | "Warning", reason: string, message: string) => void;

/** Image handling settings. */
export type ImageManagerOptions = {
  runtime: ContainerRuntime;
  log: Logger;
  /** First wait after a failed pull; doubles up to `pullBackoffMaxMs`. @default 10000 */
  pullBackoffBaseMs?: number;
  /** @default 300000 */
  pullBackoffMaxMs?: number;
  /** Static busybox used to build `kubeedge-ts/busybox:latest` when it is missing. @default "/bin/busybox" */
  busyboxPath?: string;
};

/** The pull policy in force: the container's, or Always for `:latest` and untagged images, else IfNotPresent. */
export function pullPolicyOf(image: string, policy: string | undefined): "Always" | "IfNotPresent" | "Never" {
  if (policy === "Always" || policy === "IfNotPresent" || policy === "Never") return policy;
  if (image.includes("@")) return "IfNotPresent";
  return splitImageRef(image).tag === "latest" ? "Always" : "IfNotPresent";
}

/** Pulls and checks images for pods. */
export class ImageManager {
  readonly #runtime: ContainerRuntime;
  readonly #log: Logger;
  readonly #backoff: RestartBackoff;
  readonly #busyboxPath: string;
  readonly #pulls = new Map<string, Promise<void>>();
  readonly #failedAt = new Map<string, { atMs: number; message: string }>();

  constructor(options: ImageManagerOptions) {
    this.#runtime = options.runtime;
    this.#log = options.log;
    this.#backoff = new RestartBackoff({ baseMs: options.pullBackoffBaseMs ?? 10_000, maxMs: options.pullBackoffMaxMs ?? 300_000 });
    this.#busyboxPath = options.busyboxPath ?? "/bin/busybox";
  }

  /**
   * Makes `image` present.
   *
   * @returns undefined when the image is there, else the waiting reason to show
   * @throws RuntimeError `RUNTIME_UNREACHABLE` when the engine is down
   */
  async ensure(image: string, policy: string | undefined, signal?: AbortSignal, events: ImageEvents = () => {}): Promise<Waiting | undefined> {
    const p = pullPolicyOf(image, policy);
    if (p !== "Always" && (await this.#runtime.inspectImage(image, signal))) {
      events("Normal", "Pulled", `Container image "${image}" already present on machine`);
      return undefined;
    }
    if (p === "Never") {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      events("Warning", "ErrImageNeverPull", message);
      return { reason: "ErrImageNeverPull", message };
    }
    if (p === "IfNotPresent" && image === BUSYBOX_IMAGE) {
      await ensureBusyboxImage(this.#runtime, { tag: image, busyboxPath: this.#busyboxPath, signal });
      return undefined;
    }
    const failed = this.#failedAt.get(image);
    if (failed && this.#backoff.readyAt(image, failed.atMs) > Date.now()) {
      events("Normal", "BackOff", `Back-off pulling image "${image}"`);
      events("Warning", "Failed", "Error: ImagePullBackOff");
      return { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}": ${failed.message}` };
    }
    events("Normal", "Pulling", `Pulling image "${image}"`);
    const startMs = Date.now();
    let pull = this.#pulls.get(image);
    if (!pull) {
      pull = this.#runtime.pullImage(image, signal).finally(() => this.#pulls.delete(image));
      this.#pulls.set(image, pull);
    }
    try {
      await pull;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!this.#failedAt.has(image) || this.#failedAt.get(image)!.atMs < Date.now() - 100) this.#backoff.next(image);
      this.#failedAt.set(image, { atMs: Date.now(), message });
      this.#log.warn("image pull failed", { image, error: message });
      events("Warning", "Failed", `Failed to pull image "${image}": ${message}`);
      events("Warning", "Failed", "Error: ErrImagePull");
      return { reason: "ErrImagePull", message };
    }
    this.#failedAt.delete(image);
    this.#backoff.reset(image);
    events("Normal", "Pulled", `Successfully pulled image "${image}" in ${((Date.now() - startMs) / 1000).toFixed(3)}s`);
    return undefined;
  }
}
