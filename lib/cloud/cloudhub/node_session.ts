/**
 * One live link to an edge node: the websocket, when it was last heard from, and an ordered delivery queue that
 * pauses reading from the socket while the cloud bus pushes back. Reading also stops while the link waits for room in
 * the frame budget; the socket is read again only once no reason to stop remains.
 *
 * @module
 */
import { WebSocket } from "ws";

/** Deliveries waiting beyond which the socket stops being read until the queue drains. */
const PAUSE_AT = 64;
const RESUME_AT = 16;

/** A node's link. The hub replaces it when the same node connects again. */
export class NodeSession {
  readonly node: string;
  readonly remote: string;
  readonly openedAt = Date.now();
  /** Last time any frame (or ping) arrived: drives the keepalive timeout. */
  lastSeenMs = Date.now();
  /** Set when a newer link for the same node took over; its close is then not a disconnect. */
  replaced = false;
  /** When the node's certificate was issued, at the earliest (ms since the epoch), checked again when the node is revoked. */
  certIssuedAtMs = Number.NaN;
  /** Set when the node sent a frame that is not a message: later frames of this link are ignored. */
  rejected = false;
  readonly #ws: WebSocket;
  #chain: Promise<void> = Promise.resolve();
  #waiting = 0;
  /** Why reading is stopped: "bus" (deliveries back up), "budget" (frame budget full). */
  readonly #holds = new Set<string>();

  constructor(node: string, ws: WebSocket, remote: string) {
    this.node = node;
    this.#ws = ws;
    this.remote = remote;
  }

  /** True while frames can be written. */
  get isOpen(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  /** Bytes queued on the link and not yet handed to the kernel. */
  get bufferedBytes(): number {
    return this.#ws.bufferedAmount;
  }

  /** Writes one frame. @returns false when the link is no longer open */
  write(frame: string): boolean {
    if (!this.isOpen) return false;
    this.#ws.send(frame);
    return true;
  }

  /**
   * Runs `task` after every earlier one, so messages reach the bus in the order they arrived. While more than
   * {@link PAUSE_AT} tasks wait, the socket is paused (aedes-style: read the next batch only once this one is handled).
   *
   * @returns when `task` has run
   */
  enqueue(task: () => Promise<void>): Promise<void> {
    this.#waiting++;
    if (this.#waiting === PAUSE_AT) this.hold("bus", true);
    const done = this.#chain.then(task);
    this.#chain = done.finally(() => {
      this.#waiting--;
      if (this.#waiting === RESUME_AT) this.hold("bus", false);
    });
    return done;
  }

  /** Stops (`on`) or allows reading the socket for `reason`; it is read only while no reason holds. */
  hold(reason: string, on: boolean): void {
    if (on) this.#holds.add(reason);
    else this.#holds.delete(reason);
    // ws.pause() also keeps ws's own flow control from resuming the socket behind our back
    if (this.#holds.size > 0 && !this.#ws.isPaused) this.#ws.pause();
    else if (this.#holds.size === 0 && this.#ws.isPaused) this.#ws.resume();
  }

  /** Closes the link with a websocket close code and a short reason. */
  close(code: number, reason: string): void {
    if (this.#ws.readyState === WebSocket.OPEN || this.#ws.readyState === WebSocket.CONNECTING) this.#ws.close(code, reason);
  }

  /** Drops the link at once (no close handshake): for links that stopped answering. */
  terminate(): void {
    this.#ws.terminate();
  }
}
