/**
 * DeviceTwin's handler table: one handler per request kind.
 *
 * @module
 */
import { makeCloudUpdate } from "./cloud_update.ts";
import { makeHubConnected, makeHubDisconnected } from "./hub_event.ts";
import { makeMembership } from "./membership.ts";
import { makeMembershipGet } from "./membership_get.ts";
import { makeStateUpdate } from "./state_update.ts";
import { makeTwinGet } from "./twin_get.ts";
import { makeTwinUpdate } from "./twin_update.ts";
import type { Action, Handler, HandlerDeps } from "./types.ts";

export type { Action, Effects, Handler, HandlerDeps, RequestFields, TwinRequest } from "./types.ts";

/** The handler table; a request kind without a handler fails to compile. */
export type Handlers = { [A in Action]: Handler<A> };

/** Builds every handler over the shared dependencies. */
export function makeHandlers(deps: HandlerDeps): Handlers {
  return {
    twinUpdate: makeTwinUpdate(deps),
    twinGet: makeTwinGet(deps),
    twinCloudUpdate: makeCloudUpdate(deps),
    stateUpdate: makeStateUpdate(deps),
    membershipGet: makeMembershipGet(deps),
    membershipUpdate: makeMembership<"membershipUpdate">(deps, false),
    membershipDetail: makeMembership<"membershipDetail">(deps, true),
    hubConnected: makeHubConnected(deps),
    hubDisconnected: makeHubDisconnected(deps),
  } satisfies Handlers;
}
