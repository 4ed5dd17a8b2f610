/**
 * ServiceBus (cloud): an HTTPS handler that calls apps on edge nodes by node name through CloudHub.
 *
 * @module
 */
export { createServiceBusProxy } from "./proxy_handler.ts";
export type { ProxyHandler, ServiceBusProxyOptions } from "./proxy_handler.ts";
