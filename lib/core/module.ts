/**
 * The module contract (KubeEdge calls the framework beehive). A module is a long-running task with a name and a
 * group that reads its inbox; it talks to others only through the bus.
 *
 * @module
 */
import type { Logger } from "../log/index.ts";
import type { Message } from "../model/index.ts";
import type { Bus } from "./bus.ts";

/** What a running module is handed. `inbox` outlives restarts, so no message is lost when a module crashes. */
export type ModuleContext = {
  bus: Bus;
  log: Logger;
  /** Aborts when the bus stops; a module's `start` should return soon after. */
  signal: AbortSignal;
  inbox: AsyncIterable<Message>;
};

/** A module. `start` runs until `ctx.signal` aborts; if it throws, the bus logs it and starts it again with backoff. */
export type Module = {
  readonly name: string;
  readonly group: string;
  /** Prepares what must work before anything runs (bind a port, open a file); a failure fails the whole start. */
  init?(): Promise<void>;
  start(ctx: ModuleContext): Promise<void>;
  /** Releases resources after `start` has returned on shutdown (close servers, flush). */
  stop?(): Promise<void>;
};
