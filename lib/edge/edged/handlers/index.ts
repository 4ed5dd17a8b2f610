/**
 * Edged's handler table, one entry per resource type.
 * @module
 */
import { configObjectHandler } from "./config_object.ts";
import { hubHandler } from "./hub.ts";
import { podHandler } from "./pod.ts";
import type { HandledType, Handler, HandlerDeps } from "./types.ts";

export type { HandledType, Handler, HandlerDeps } from "./types.ts";

/** Builds the table. */
export function makeHandlers(deps: HandlerDeps): Record<HandledType, Handler> {
  return {
    pod: podHandler(deps),
    configmap: configObjectHandler(deps, "configmap"),
    secret: configObjectHandler(deps, "secret"),
    serviceaccounttoken: configObjectHandler(deps, "serviceaccounttoken"),
    node: hubHandler(deps),
  } satisfies Record<HandledType, Handler>;
}
