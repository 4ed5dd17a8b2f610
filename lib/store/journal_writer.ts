/**
 * Group commit. Committed transactions hand their journal line to {@link JournalWriter.append}; one loop writes
 * everything queued as one batch with one fdatasync, then the next batch, so writers that arrive while a sync is
 * running share the following one. Each batch's promise settles when its sync does.
 *
 * @module
 */
import { StoreError } from "./store_error.ts";

/** Where batches go: the current journal file, or a fake in tests. */
export type AppendTarget = {
  /** Bytes already in the target. */
  readonly bytes: number;
  /** Appends whole lines and resolves once they are durable. */
  append(data: string): Promise<void>;
};

/**
 * Called synchronously as each batch is taken, before it is written; it may return a step the writer runs once that
 * batch is durable and before the next one starts, which returns the target for later batches (journal rotation).
 */
export type BatchHook = (target: AppendTarget, batchBytes: number) => (() => Promise<AppendTarget>) | undefined;

type Deferred = { promise: Promise<void>; resolve(): void; reject(err: unknown): void };

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  // After a failure the next batch is rejected even when no line joined it; with nobody awaiting it, that must not
  // count as an unhandled rejection.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Queues journal lines and writes them in batches, one fdatasync per batch. */
export class JournalWriter {
  #target: AppendTarget;
  #onBatch: BatchHook | undefined;
  #maxPendingBytes: number;
  #pending: string[] = [];
  #pendingBytes = 0;
  #next: Deferred = deferred();
  #inFlight: Deferred | undefined;
  #loop: Promise<void> | undefined;
  #failure: StoreError | undefined;

  /**
   * @param target where the first batches go
   * @param options.maxPendingBytes queued bytes at which {@link JournalWriter.full} turns true
   * @param options.onBatch rotation hook, see {@link BatchHook}
   */
  constructor(target: AppendTarget, options: { maxPendingBytes: number; onBatch?: BatchHook }) {
    this.#target = target;
    this.#maxPendingBytes = options.maxPendingBytes;
    this.#onBatch = options.onBatch;
  }

  /** The target batches currently go to. */
  get target(): AppendTarget {
    return this.#target;
  }

  /** Characters of lines queued and not yet handed to the target. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** True when the queue has reached its limit: callers should wait for {@link JournalWriter.durable} first. */
  get full(): boolean {
    return this.#pendingBytes >= this.#maxPendingBytes;
  }

  /** The write or sync error that stopped the writer; once set, every append rejects with it. */
  get failure(): StoreError | undefined {
    return this.#failure;
  }

  /** Queues one line (ending in a newline) and resolves once it is durable. @throws StoreError `STORE_IO` */
  append(line: string): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    this.#pending.push(line);
    this.#pendingBytes += line.length;
    this.#loop ??= yieldToEvents().then(() => this.#run());
    return this.#next.promise;
  }

  /** Resolves once every line appended so far is durable. @throws StoreError `STORE_IO` */
  durable(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#pending.length > 0) return this.#next.promise;
    return this.#inFlight?.promise ?? Promise.resolve();
  }

  /** Resolves when nothing is queued or being written (it never rejects). */
  async idle(): Promise<void> {
    while (this.#loop) await this.#loop;
  }

  async #run(): Promise<void> {
    while (this.#pending.length > 0 && !this.#failure) {
      const data = this.#pending.length === 1 ? this.#pending[0]! : this.#pending.join("");
      const batch = this.#next;
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#next = deferred();
      this.#inFlight = batch;
      try {
        const rotate = this.#onBatch?.(this.#target, data.length);
        await this.#target.append(data);
        batch.resolve();
        if (rotate) this.#target = await rotate();
      } catch (err) {
        this.#failure = new StoreError("STORE_IO", `Cannot write journal: ${(err as Error).message}`, { cause: err });
        batch.reject(this.#failure);
        break;
      }
      // Let the writers this batch released run and queue their next lines, so they share the next sync.
      await yieldToEvents();
    }
    if (this.#failure) this.#next.reject(this.#failure);
    this.#inFlight = undefined;
    this.#loop = undefined;
  }
}
