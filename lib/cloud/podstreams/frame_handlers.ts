/**
 * What the cloud does with each stream frame from a node (a handler table, checked for every
 * operation). A frame for a stream the cloud does not hold gets a `close` back so the node stops sending.
 *
 * @module
 */
import type { Logger } from "../../log/index.ts";
import type { StreamContent, StreamOpName } from "../../model/index.ts";
import { StreamError } from "./stream_error.ts";
import type { StreamTable } from "./stream_table.ts";
import type { PodStreamsStats } from "./types.ts";

/** Where a frame came from: the node and the frame's cloud-form resource. */
export type FrameOrigin = { node: string; resource: string };

/** Handles one operation's checked content. */
export type FrameHandler<O extends StreamOpName> = (from: FrameOrigin, content: StreamContent<O>) => void;

/** What the handlers use. */
export type FrameDeps = {
  table: StreamTable;
  stats: PodStreamsStats;
  log: Logger;
  /** Tells a node to stop a stream the cloud does not hold. */
  closeUnknown(from: FrameOrigin, id: string): void;
};

/** Builds the table of handlers for frames from nodes. */
export function makeFrameHandlers(deps: FrameDeps): { [O in StreamOpName]: FrameHandler<O> } {
  const { table, stats, log } = deps;
  const unknown = (from: FrameOrigin, id: string, answer: boolean) => {
    stats.badFrames++;
    log.debug("frame for an unknown stream", { node: from.node, id });
    if (answer) deps.closeUnknown(from, id);
  };
  const unexpected = (op: string) => (from: FrameOrigin) => {
    stats.badFrames++;
    log.warn("stream frame the cloud does not take, ignored", { node: from.node, operation: op });
  };
  return {
    open: unexpected("open"),
    resize: unexpected("resize"),
    opened(from, c) {
      const s = table.get(from.node, c.id);
      if (s) s.onOpened(c.window);
      else unknown(from, c.id, true);
    },
    data(from, c) {
      const s = table.get(from.node, c.id);
      if (s) s.onData(c);
      else unknown(from, c.id, true);
    },
    credit(from, c) {
      const s = table.get(from.node, c.id);
      if (s) s.onCredit(c.bytes);
      else unknown(from, c.id, true);
    },
    close(from, c) {
      const s = table.get(from.node, c.id);
      if (!s) return unknown(from, c.id, false);
      // A node never half-closes: stdin is the cloud's to close.
      if (c.channel === "stdin") return unexpected("close stdin")(from);
      s.onRemoteClose(c.reason);
    },
    exit(from, c) {
      const s = table.get(from.node, c.id);
      if (s) s.onExit(c);
      else unknown(from, c.id, false);
    },
    reset(from, c) {
      // The node's new link: streams it no longer holds died with its old link (the cloud may not have seen that
      // link close when the new one replaced it). Streams still opening wait for their answer.
      const live = new Set(c.live);
      for (const s of table.list(from.node)) {
        if (s.state === "open" && !live.has(s.id)) {
          s.fail(new StreamError("STREAM_LINK_LOST", 503, `Cannot stream ${s.kind}: the link to node "${from.node}" was lost`), false);
        }
      }
    },
  };
}
