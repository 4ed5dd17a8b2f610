/**
 * What DeviceController needs from Kubernetes, as an interface: list+watch of Devices and DeviceModels, read one
 * Device, merge-patch one Device (or its status subresource). {@link KubeDeviceApi} implements it with client-node.
 *
 * @module
 */
import type { DeviceCR, DeviceModelCR } from "./types.ts";

/** Callbacks of a watch, called in event order. */
export type WatchHandlers<T> = { add(obj: T): void; update(obj: T): void; delete(obj: T): void };

/** An API failure with its HTTP status (409 conflict, 404 gone, ...; 0 when no response came). */
export class DeviceApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DeviceApiError";
    this.status = status;
  }
}

/** The Kubernetes calls of DeviceController. */
export type DeviceApi = {
  /** Lists then watches Devices in all namespaces; resolves after the first list. Keeps watching until `stop`. */
  watchDevices(handlers: WatchHandlers<DeviceCR>): Promise<void>;
  /** Same for DeviceModels. */
  watchModels(handlers: WatchHandlers<DeviceModelCR>): Promise<void>;
  /** One Device, or undefined when it does not exist. @throws DeviceApiError */
  getDevice(namespace: string, name: string): Promise<DeviceCR | undefined>;
  /** Merge-patches a Device, or its `status` subresource. @throws DeviceApiError */
  patchDevice(namespace: string, name: string, patch: object, subresource?: "status"): Promise<DeviceCR>;
  stop(): Promise<void>;
};
