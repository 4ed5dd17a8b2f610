/**
 * The one error DeviceTwin answers devices with: a KubeEdge result code and the reason text a mapper sees.
 *
 * @module
 */

/** Result codes of KubeEdge's twin protocol. */
export type TwinErrorCode = 400 | 404 | 409 | 500;

/** A request DeviceTwin rejects; published as `{event_id, timestamp, code, reason}`. */
export class TwinError extends Error {
  readonly code: TwinErrorCode;
  readonly eventId: string;
  constructor(code: TwinErrorCode, reason: string, eventId = "") {
    super(reason);
    this.name = "TwinError";
    this.code = code;
    this.eventId = eventId;
  }
}

/** Reason texts as KubeEdge sends them, so mappers that match on them keep working. */
export const Reason = {
  unmarshal: "Unmarshal update request body failed, please check the request",
  // KubeEdge v1.x wording (later versions say "key:twin does not exist")
  noTwin: "Update twin error, the update request body not have key:twin",
  badKey: "The key of twin must only include upper or lowercase letters, number, english, and special letter - _ . , : / @ # and the length of key should be less than 128 bytes",
  badValue: "The value of twin must only include upper or lowercase letters, number, english, and special letter - _ . , : / @ # and the length of value should be less than 512 bytes",
  noDevice: "Update rejected due to the device is not existed",
} as const;
