/**
 * The bus's one error class. Codes: `BUS_NO_MODULE` (no such module or group), `BUS_CLOSED` (bus or queue stopped),
 * `BUS_TIMEOUT` (no reply to a sync message in time).
 *
 * @module
 */

/** Stable codes of {@link BusError}. */
export type BusErrorCode = "BUS_NO_MODULE" | "BUS_CLOSED" | "BUS_TIMEOUT";

/** An error raised by the module bus. */
export class BusError extends Error {
  readonly code: BusErrorCode;
  constructor(code: BusErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BusError";
    this.code = code;
  }
}
