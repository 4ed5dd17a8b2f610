/** GET of one object. */
import type { Handler } from "./context.ts";
import { sendObject } from "./respond.ts";

/** Replies with the object, or a one-row Table for `kubectl get <kind> <name>`. */
export const getObject: Handler = async (ctx, r) => {
  sendObject(ctx, r, ctx.service.get(r.info, r.namespace, r.name));
};
