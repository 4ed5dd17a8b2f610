/**
 * EventBus: the edge's MQTT side, with KubeEdge's topics. An internal aedes broker, an external broker such as
 * mosquitto, or both; device topics go to DeviceTwin, other subscribed topics to the cloud, and publish requests go
 * out to the broker(s). The internal broker can ask for a password and for client certificates, and never lets a
 * client publish edge_core's own topics (see `broker_policy.ts`).
 *
 * @module
 */
export { EventBus } from "./event_bus.ts";
export { parseBrokerUrl } from "./external_broker.ts";
export { isDeviceTwinTopic, SUBSCRIBE_TOPICS } from "./topics.ts";
export type { EventBusMode, EventBusOptions, EventBusStats, InternalBrokerTls } from "./types.ts";
