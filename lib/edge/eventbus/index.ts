/**
 * EventBus: the edge's MQTT side, with KubeEdge's topics. An internal aedes broker, an external broker such as
 * mosquitto, or both; device topics go to DeviceTwin, other subscribed topics to the cloud, and publish requests go
 * out to the broker(s).
 *
 * @module
 */
export { EventBus } from "./event_bus.ts";
export { parseBrokerUrl } from "./external_broker.ts";
export { isDeviceTwinTopic, SUBSCRIBE_TOPICS } from "./topics.ts";
export type { EventBusMode, EventBusOptions, EventBusStats } from "./types.ts";
