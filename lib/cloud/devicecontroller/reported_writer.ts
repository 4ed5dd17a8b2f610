/**
 * Writes the edge's actual values into `status.twins[].reported`. Reports for one Device are merged while a write
 * for it is in flight, so a device reporting thousands of times a second costs one API write per round trip.
 * Writes carry the resourceVersion they were computed from; a conflict re-reads the Device and tries again. On a
 * cluster whose Device CRD has a status subresource (the main resource then ignores status), writes switch to it;
 * should the status subresource then answer 404 for a Device that exists, they switch back. The decision compares
 * the written object with exactly what was sent (one clock reading per write), so a report without a timestamp of
 * its own cannot make it look as if status had been ignored.
 *
 * @module
 */
import type { Logger } from "../../log/index.ts";
import type { DeviceApi } from "./device_api.ts";
import { DeviceApiError } from "./device_api.ts";
import { withReported } from "./device_view.ts";
import type { DeviceCR, MsgTwin } from "./types.ts";

type Pending = { namespace: string; name: string; twins: Record<string, MsgTwin | null> };

/** Options of {@link ReportedWriter}. */
export type ReportedWriterOptions = {
  api: DeviceApi;
  /** The watched copy of a Device, if any. */
  cached(namespace: string, name: string): DeviceCR | undefined;
  maxConflictRetries: number;
  retryMs: number;
  log: Logger;
};

/** Coalescing writer of reported twin values. */
export class ReportedWriter {
  readonly #opts: ReportedWriterOptions;
  readonly #pending = new Map<string, Pending>();
  readonly #running = new Map<string, Promise<void>>();
  #statusSubresource = false;
  /** Status writes done. */
  writes = 0;

  constructor(options: ReportedWriterOptions) {
    this.#opts = options;
  }

  /** Queues actual values of a Device's twins (newer values of the same twin replace older ones). */
  report(namespace: string, name: string, twins: Record<string, MsgTwin | null>): void {
    const key = `${namespace}/${name}`;
    const p = this.#pending.get(key);
    if (p) Object.assign(p.twins, twins);
    else this.#pending.set(key, { namespace, name, twins: { ...twins } });
    if (!this.#running.has(key)) {
      const run = this.#drain(key).finally(() => this.#running.delete(key));
      this.#running.set(key, run);
    }
  }

  /** Resolves when every queued report is written (or given up). */
  async idle(): Promise<void> {
    while (this.#running.size) await Promise.all(this.#running.values());
  }

  async #drain(key: string): Promise<void> {
    for (let p = this.#pending.get(key); p; p = this.#pending.get(key)) {
      this.#pending.delete(key);
      try {
        await this.#write(p);
      } catch (err) {
        this.#opts.log.warn("cannot write reported twins", { device: key, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  async #write(p: Pending): Promise<void> {
    const { api, maxConflictRetries } = this.#opts;
    let device = this.#opts.cached(p.namespace, p.name) ?? (await api.getDevice(p.namespace, p.name));
    // one clock reading for the whole write: reports without a timestamp get this one, here and in the check below
    const now = Date.now();
    for (let attempt = 0; device; attempt++) {
      const twins = withReported(device, p.twins, now);
      if (!twins) return;
      const patch = { metadata: { resourceVersion: device.metadata?.resourceVersion }, status: { twins } };
      const toStatus = this.#statusSubresource;
      try {
        const out = await api.patchDevice(p.namespace, p.name, patch, toStatus ? "status" : undefined);
        this.writes++;
        if (!toStatus && withReported(out, p.twins, now)) {
          // The main resource ignored status: the CRD has a status subresource.
          this.#statusSubresource = true;
          this.#opts.log.info("Device status is a subresource, writing reported twins there");
          device = out;
          continue;
        }
        return;
      } catch (err) {
        if (!(err instanceof DeviceApiError)) throw err;
        if (err.status === 404 && toStatus && attempt < maxConflictRetries && (await api.getDevice(p.namespace, p.name))) {
          // the Device is there but its status subresource is not: this CRD keeps status in the main resource
          this.#statusSubresource = false;
          this.#opts.log.info("Device status is not a subresource, writing reported twins to the Device");
          device = await api.getDevice(p.namespace, p.name);
          continue;
        }
        if (err.status === 404) return;
        if (attempt >= maxConflictRetries) throw err;
        if (err.status !== 409) await new Promise((r) => setTimeout(r, this.#opts.retryMs));
        device = await api.getDevice(p.namespace, p.name);
      }
    }
  }
}
