/**
 * Store metrics without touching the store: a wrapper that times each transaction until it is durable (what a
 * writer waits for, fsync included), and the bytes the store's files hold on disk.
 *
 * @module
 */
import { readdirSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Histogram, type Registry } from "prom-client";
import type { Store } from "../store/types.ts";

/** Commit latency buckets in seconds: group commit puts most commits between 1 and 20 ms. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * Wraps `store` so every transaction's time to durability is observed in `<prefix>_store_commit_duration_seconds`.
 *
 * @returns the same store, timed
 */
export function timedStore(store: Store, registry: Registry, prefix: string): Store {
  const histogram = new Histogram({
    name: `${prefix}_store_commit_duration_seconds`,
    help: "Time from the start of a store transaction until it is durable (journal line fsynced).",
    buckets: BUCKETS,
    registers: [registry],
  });
  return {
    async transaction(fn) {
      const end = histogram.startTimer();
      try {
        return await store.transaction(fn);
      } finally {
        end();
      }
    },
    all: (sql, params) => store.all(sql, params),
    get: (sql, params) => store.get(sql, params),
    close: () => store.close(),
  };
}

/** Bytes of the store opened at `base` on disk: its snapshot and its journals. */
export function storeDiskBytes(base: string): { snapshot: number; journal: number } {
  const name = basename(base);
  let snapshot = 0, journal = 0;
  for (const f of readdirSync(dirname(base))) {
    if (f === name) snapshot += statSync(join(dirname(base), f)).size;
    else if (f.startsWith(`${name}.journal.`)) journal += statSync(join(dirname(base), f)).size;
  }
  return { snapshot, journal };
}
