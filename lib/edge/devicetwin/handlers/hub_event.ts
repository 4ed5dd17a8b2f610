/**
 * The hub's link events. On `connected`, every device with changes the cloud has not confirmed is reported again
 * in full (its twins with versions, its state); on `disconnected`, reports stop until the next connect.
 *
 * @module
 */
import { deviceMsg, freshBase } from "../payloads.ts";
import { DELETED, toMsgTwin } from "../twin_model.ts";
import type { MsgTwin } from "../types.ts";
import { edgeUpdated, noEffects, stateReport } from "./_effects.ts";
import type { Effects, Handler, HandlerDeps } from "./types.ts";

/** Builds the `connected` handler. */
export function makeHubConnected(deps: HandlerDeps): Handler<"hubConnected"> {
  return async (): Promise<Effects> => {
    deps.reporter.setConnected(true);
    // read-only: resolves once the state read is durable
    const reports = await deps.store.transaction(() => {
      const fx = noEffects();
      for (const d of deps.devices.list()) {
        if (d.twinSeq > d.twinSent) {
          const twin: Record<string, MsgTwin> = {};
          for (const t of d.twins.values()) if (t.type !== DELETED) twin[t.name] = toMsgTwin(t, true);
          fx.reports.push(edgeUpdated(d.id, twin, d.twinSeq));
        }
        if (d.stateSeq > d.stateSent) {
          fx.reports.push(stateReport(d.id, deviceMsg(freshBase(), { name: d.name, state: d.state, lastOnline: d.lastOnline }), d.stateSeq));
        }
      }
      return fx;
    });
    if (reports.reports.length) deps.log.info("reporting changes made while offline", { reports: reports.reports.length });
    return reports;
  };
}

/** Builds the `disconnected` handler. */
export function makeHubDisconnected(deps: HandlerDeps): Handler<"hubDisconnected"> {
  return async (): Promise<Effects> => {
    deps.reporter.setConnected(false);
    return noEffects();
  };
}
