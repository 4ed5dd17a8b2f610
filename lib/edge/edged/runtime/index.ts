/**
 * The container runtime behind Edged: the {@link ContainerRuntime} contract, its Docker Engine API implementation,
 * and the offline busybox image builder.
 * @module
 */
export { DockerRuntime, splitImageRef } from "./docker.ts";
export type { DockerRuntimeOptions } from "./docker.ts";
export { BUSYBOX_IMAGE, busyboxRootfsTar, ensureBusyboxImage } from "./busybox_image.ts";
export type { BusyboxImageOptions } from "./busybox_image.ts";
export { RuntimeError } from "./runtime_error.ts";
export type { RuntimeErrorCode } from "./runtime_error.ts";
export { StdioDemuxer } from "./stdio_demux.ts";
export type { StdioFrame } from "./stdio_demux.ts";
export type {
  ContainerDetails, ContainerRuntime, ContainerSpec, ContainerStats, ContainerSummary, ExecOptions, ExecSession, ImageInfo, LogOptions,
  Mount, NetworkMode, PortBinding, RuntimeEvent, RuntimeVersion,
} from "./types.ts";
