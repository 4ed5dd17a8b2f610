/**
 * ServiceBus (edge): lets a cloud user call an HTTP app on this node by node name (lib/model/service_request.ts).
 *
 * Consumes (inbox "servicebus", routed by EdgeHub for group `servicebus`): `request` with a ServiceRequest. Emits to
 * "edgehub": a `response` with a ServiceResponse (the app's answer; 502 when it cannot be reached or answers too
 * much, 504 on timeout), or an `error` reply for a bad request, a port not allowed, or too many at once. Hub events
 * are ignored.
 *
 * @module
 */
export { ServiceBus } from "./service_bus.ts";
export type { ServiceBusOptions } from "./types.ts";
