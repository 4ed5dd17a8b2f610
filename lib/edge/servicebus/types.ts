/**
 * Options of the edge ServiceBus.
 *
 * @module
 */
import type { Logger } from "../../log/index.ts";

/** What ServiceBus needs. */
export type ServiceBusOptions = {
  /** Ports of 127.0.0.1 the cloud may call; empty allows every port. @default [] */
  allowedPorts?: number[];
  /** How long the app may take to answer. @default 30000 ms */
  requestTimeoutMs?: number;
  /** Largest response body passed back; a bigger one is answered with 502. @default 16777216 bytes (16 MiB) */
  maxResponseBytes?: number;
  /** Requests served at once; more are answered "busy" (503). @default 32 */
  maxConcurrent?: number;
  log?: Logger;
};
