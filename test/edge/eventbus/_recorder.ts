/**
 * A bus module that records what it receives: stands in for a neighbour module (devicetwin, edgehub) so a test can
 * check what a module under test sent it.
 *
 * @module
 */
import type { Module, ModuleContext } from "../../../lib/core/index.ts";
import type { Message } from "../../../lib/model/index.ts";
import { waitUntil } from "../../support/process.ts";

/** A recording module. */
export class Recorder implements Module {
  readonly name: string;
  readonly group: string;
  readonly received: Message[] = [];

  constructor(name: string, group = name) {
    this.name = name;
    this.group = group;
  }

  async start(ctx: ModuleContext): Promise<void> {
    for await (const m of ctx.inbox) this.received.push(m);
  }

  /** Waits for a message matching `pred`. */
  waitFor(pred: (m: Message) => boolean, timeoutMs = 10_000, what = "message"): Promise<Message> {
    return waitUntil(() => this.received.find(pred), timeoutMs, `${this.name} to receive ${what}`) as Promise<Message>;
  }
}
