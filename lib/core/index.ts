/**
 * The module framework: modules with a name and group, a bus with bounded inboxes, sync requests and supervised
 * restarts, and containment of failures in callbacks outside the bus.
 * @module
 */
export { Bus } from "./bus.ts";
export type { BusOptions, BusStats, SyncOptions } from "./bus.ts";
export { BoundedQueue } from "./bounded_queue.ts";
export { BusError } from "./bus_error.ts";
export type { BusErrorCode } from "./bus_error.ts";
export { contain, containedInterval, containedTimeout } from "./contain.ts";
export type { ContainOptions } from "./contain.ts";
export { installLastResort } from "./last_resort.ts";
export type { LastResortCounts, LastResortOptions } from "./last_resort.ts";
export type { Module, ModuleContext } from "./module.ts";
export { backoffDelayMs } from "./backoff.ts";
export type { BackoffOptions } from "./backoff.ts";
export { LogThrottle } from "./log_throttle.ts";
export { RateLimiter } from "./rate_limiter.ts";
export type { RateLimiterOptions } from "./rate_limiter.ts";
