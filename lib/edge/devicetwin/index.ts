/**
 * DeviceTwin: devices and their twins at the edge, speaking KubeEdge's MQTT twin protocol so
 * existing mappers work unchanged, and syncing actual values and device state to the cloud (also after being
 * offline).
 *
 * @module
 */
export { DeviceTwin } from "./device_twin.ts";
export { deviceMayPublish } from "./topics.ts";
export { TwinError } from "./twin_error.ts";
export type { TwinErrorCode } from "./twin_error.ts";
export type { BaseMessage, DeviceJson, DeviceTwinOptions, DeviceTwinStats, MembershipUpdate, MsgAttr, MsgTwin, TwinVersion } from "./types.ts";
