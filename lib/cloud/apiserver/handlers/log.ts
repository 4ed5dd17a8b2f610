/** GET `pods/<name>/log` (`kubectl logs`): the container's bytes, streamed as they come from the edge. */
import { once } from "node:events";
import type { PodLogOptions } from "../types.ts";
import { badRequest } from "../status_error.ts";
import type { Handler } from "./context.ts";
import { backendError, notConnected, podTarget } from "./pod_target.ts";

function optionalInt(params: URLSearchParams, key: string): number | undefined {
  const v = params.get(key);
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`${key} must be a non-negative integer, got "${v}"`);
  return n;
}

/** Streams a container's log with text/plain; ends when the backend's stream ends or the client leaves. */
export const podLog: Handler = async (ctx, r) => {
  const pod = ctx.service.get(r.info, r.namespace, r.name).object;
  const q = r.url.searchParams;
  const target = podTarget(pod, q.get("container"));
  const options: PodLogOptions = {
    follow: q.get("follow") === "true",
    previous: q.get("previous") === "true",
    timestamps: q.get("timestamps") === "true",
    tailLines: optionalInt(q, "tailLines"),
    sinceSeconds: optionalInt(q, "sinceSeconds"),
    limitBytes: optionalInt(q, "limitBytes"),
    sinceTime: q.get("sinceTime") ?? undefined,
  };
  const streams = ctx.podStreams();
  if (!streams) throw notConnected("logs", target.nodeName);
  const abort = new AbortController();
  r.res.on("close", () => abort.abort());
  let source: AsyncIterable<Uint8Array>;
  try {
    source = await streams.logs(target, options, abort.signal);
  } catch (err) {
    throw backendError(err);
  }
  r.res.writeHead(200, { "Content-Type": "text/plain", "Transfer-Encoding": "chunked", "Cache-Control": "no-cache, private" });
  r.res.flushHeaders();
  try {
    for await (const chunk of source) {
      if (abort.signal.aborted) break;
      if (!r.res.write(chunk)) await Promise.race([once(r.res, "drain"), once(r.res, "close")]);
    }
  } catch (err) {
    ctx.log.warn("log stream failed", { pod: `${target.namespace}/${target.pod}`, container: target.container, err });
  } finally {
    abort.abort();
    r.res.end();
  }
};
