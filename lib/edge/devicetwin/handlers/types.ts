/**
 * The contract between the DeviceTwin module and its handlers: a classified request in, effects out. Handlers do
 * their store work (durable before they return) and say what to publish and report; the module carries it out in
 * request order.
 *
 * @module
 */
import type { Logger } from "../../../log/index.ts";
import type { Store } from "../../../store/types.ts";
import type { CloudReporter, Report } from "../cloud_reporter.ts";
import type { DeviceAliases } from "../device_aliases.ts";
import type { DeviceCache } from "../device_cache.ts";

/** What a request leads to: MQTT publishes (topic, payload) and reports to the cloud. */
export type Effects = { publish: [topic: string, payload: string][]; reports: Report[]; rejected?: boolean };

/** The fields of each request kind. */
export type RequestFields = {
  twinUpdate: { ident: string; payload: unknown };
  twinGet: { ident: string; payload: unknown };
  stateUpdate: { ident: string; payload: unknown };
  twinCloudUpdate: { ident: string; payload: unknown };
  membershipGet: { node: string; payload: unknown };
  membershipUpdate: { payload: unknown };
  membershipDetail: { payload: unknown };
  hubConnected: Record<never, never>;
  hubDisconnected: Record<never, never>;
};

/** Request kinds: the keys of the handler table. */
export type Action = keyof RequestFields;

/** A request DeviceTwin understands, from a device (MQTT topic) or the cloud (message resource) or the hub. */
export type TwinRequest = { [A in Action]: { action: A } & RequestFields[A] }[Action];

/** A handler for one kind of request. It never throws for bad input: it answers it. */
export type Handler<A extends Action = Action> = (req: { action: A } & RequestFields[A]) => Promise<Effects>;

/** What handlers share. */
export type HandlerDeps = {
  store: Store;
  nodeName: string;
  log: Logger;
  reporter: CloudReporter;
  aliases: DeviceAliases;
  devices: DeviceCache;
  /** Most twins a device may create by its own updates. */
  maxTwinsPerDevice: number;
};
