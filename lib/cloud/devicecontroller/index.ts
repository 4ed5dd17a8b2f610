/**
 * DeviceController: KubeEdge's Device and DeviceModel custom resources (`devices.kubeedge.io/v1alpha1`,
 * `conf/crds/`) to edge nodes, and the edges' actual twin values back into the Devices' status.
 *
 * @module
 */
export { DeviceController } from "./device_controller.ts";
export type { DeviceControllerStats } from "./device_controller.ts";
export { DeviceApiError } from "./device_api.ts";
export type { DeviceApi, WatchHandlers } from "./device_api.ts";
export { KubeDeviceApi } from "./kube_device_api.ts";
export type { DeviceControllerOptions, DeviceCR, DeviceModelCR, EdgeDevice, MsgTwin, StatusTwin, TwinProperty } from "./types.ts";
