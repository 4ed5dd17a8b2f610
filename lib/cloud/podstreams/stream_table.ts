/**
 * The open streams of the cloud, by id and by node, with the per-node limit.
 *
 * @module
 */
import type { CloudStream } from "./cloud_stream.ts";

/** Streams by id; counts per node. */
export class StreamTable {
  readonly #byId = new Map<string, CloudStream>();
  readonly #perNode = new Map<string, number>();

  /** Streams open now. */
  get size(): number {
    return this.#byId.size;
  }

  /** Streams open to `node`. */
  count(node: string): number {
    return this.#perNode.get(node) ?? 0;
  }

  add(stream: CloudStream): void {
    this.#byId.set(stream.id, stream);
    this.#perNode.set(stream.node, this.count(stream.node) + 1);
  }

  /** Frees the stream's slot; a second call does nothing. */
  remove(stream: CloudStream): void {
    if (this.#byId.get(stream.id) !== stream) return;
    this.#byId.delete(stream.id);
    const n = this.count(stream.node) - 1;
    if (n > 0) this.#perNode.set(stream.node, n);
    else this.#perNode.delete(stream.node);
  }

  /** The stream `id` when it belongs to `node` (a node can touch only its own streams). */
  get(node: string, id: string): CloudStream | undefined {
    const s = this.#byId.get(id);
    return s?.node === node ? s : undefined;
  }

  /** The streams of one node, or all of them. */
  list(node?: string): CloudStream[] {
    const all = [...this.#byId.values()];
    return node === undefined ? all : all.filter((s) => s.node === node);
  }
}
