/**
 * What the edge does with each stream frame from the cloud (a handler table, checked for every
 * operation). A frame for a stream the edge does not hold gets a `close` back so the cloud stops waiting.
 *
 * @module
 */
import type { Logger } from "../../log/index.ts";
import type { StreamContent, StreamOpName } from "../../model/index.ts";
import type { EdgeStream } from "./edge_stream.ts";
import type { PodStreamsEdgeStats } from "./types.ts";

/** Handles one operation's checked content; `resource` is the frame's (edge form). */
export type FrameHandler<O extends StreamOpName> = (resource: string, content: StreamContent<O>) => void;

/** What the handlers use. */
export type FrameDeps = {
  streams: Map<string, EdgeStream>;
  stats: PodStreamsEdgeStats;
  log: Logger;
  /** Starts a stream (checks, engine call, frames). */
  open(resource: string, content: StreamContent<"open">): void;
  /** Tells the cloud to stop a stream the edge does not hold (or has ended for breaking the protocol). */
  closeUnknown(resource: string, id: string, reason: string): void;
};

/** Builds the table of handlers for frames from the cloud. */
export function makeFrameHandlers(deps: FrameDeps): { [O in StreamOpName]: FrameHandler<O> } {
  const { streams, stats, log } = deps;
  const find = (resource: string, id: string, answer: boolean): EdgeStream | undefined => {
    const s = streams.get(id);
    if (s) return s;
    stats.badFrames++;
    log.debug("frame for an unknown stream", { id });
    if (answer) deps.closeUnknown(resource, id, "no such stream");
    return undefined;
  };
  const unexpected = (op: string) => () => {
    stats.badFrames++;
    log.warn("stream frame the edge does not take, ignored", { operation: op });
  };
  return {
    open: (resource, c) => deps.open(resource, c),
    opened: unexpected("opened"),
    exit: unexpected("exit"),
    reset: unexpected("reset"),
    data(resource, c) {
      const s = find(resource, c.id, true);
      if (!s || s.onData(c)) return;
      stats.badFrames++;
      log.warn("stream broke the protocol, stopped", { id: c.id, reason: "stdin past the credit, oversized or not asked for" });
      s.stop({ message: "stdin past the granted credit, oversized or not asked for", notifyCloud: true });
    },
    credit(resource, c) {
      find(resource, c.id, true)?.onCredit(c.bytes);
    },
    resize(resource, c) {
      find(resource, c.id, true)?.onResize(c.width, c.height);
    },
    close(resource, c) {
      const s = find(resource, c.id, false);
      if (!s) return;
      if (c.channel === "stdin") s.onStdinClosed();
      else s.stop({ message: c.reason ?? "closed by the cloud", notifyCloud: false });
    },
  };
}
