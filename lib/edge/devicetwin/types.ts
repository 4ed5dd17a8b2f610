/**
 * DeviceTwin's wire payloads (JSON keys exactly as KubeEdge writes them) and module options.
 *
 * @module
 */
import type { Logger } from "../../log/index.ts";
import type { Store } from "../../store/types.ts";

/** `{cloud, edge}` version of a twin's expected or actual value. */
export type TwinVersion = { cloud: number; edge: number };

/** A value with the time it was set. `value` is absent when a sender left it out. */
export type TwinValueJson = { value?: string | null; metadata?: { timestamp?: number } };

/** One twin as it appears in payloads (MsgTwin). */
export type MsgTwin = {
  expected?: TwinValueJson;
  actual?: TwinValueJson;
  optional?: boolean;
  metadata?: { type?: string };
  expected_version?: TwinVersion;
  actual_version?: TwinVersion;
};

/** A device attribute in payloads (MsgAttr). */
export type MsgAttr = { value: string; optional?: boolean; metadata?: { type?: string } };

/** A device in membership payloads. */
export type DeviceJson = {
  id?: string;
  name?: string;
  description?: string;
  state?: string;
  last_online?: string;
  attributes?: Record<string, MsgAttr | null>;
  twin?: Record<string, MsgTwin | null>;
};

/** `{event_id, timestamp}`, the head of every payload. */
export type BaseMessage = { event_id: string; timestamp: number };

/** MembershipUpdate (cloud -> edge, and published on `.../membership/updated`). */
export type MembershipUpdate = BaseMessage & { added_devices: DeviceJson[] | null; removed_devices: DeviceJson[] | null };

/** DeviceTwin options. */
export type DeviceTwinOptions = {
  /** Holds the `device`, `device_attr` and `device_twin` tables. */
  store: Store;
  /** This node's name: the topic of `$hw/events/node/<node>/membership/updated`. */
  nodeName: string;
  /** Requests being processed (stored, not yet answered) before the inbox is read again. @default 256 */
  maxInFlight?: number;
  /** Twins a device may have after its own updates (twins from the cloud are not limited). @default 512 */
  maxTwinsPerDevice?: number;
  /**
   * How long a report sent to the cloud must go without a link drop before it counts as delivered and its device's
   * dirty mark is cleared. Reports still unconfirmed at a drop are sent again on the next connect. @default 5000
   */
  syncConfirmMs?: number;
  /** Called with each request's action and its seconds until stored (for metrics; must not throw). */
  observe?: (action: string, seconds: number) => void;
  log?: Logger;
};

/** Counters for observability and tests. */
export type DeviceTwinStats = {
  /** Requests handled, by action. */
  handled: Record<string, number>;
  /** Requests answered with an error code. */
  rejected: number;
  /** Messages DeviceTwin did not understand (unknown topic, resource or operation). */
  unknown: number;
  /** Reports sent to the cloud. */
  synced: number;
};
