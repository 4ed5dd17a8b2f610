/**
 * Metrics whose values are read from a module's own counters at scrape time, so modules keep plain numbers and know
 * nothing of Prometheus, and a scrape costs nothing between scrapes.
 *
 * @module
 */
import { Counter, Gauge, type Registry } from "prom-client";

/** One labelled value; a bare number is the value of the metric without labels. */
export type Sample = { labels: Record<string, string>; value: number };

type SampledOptions = {
  name: string;
  help: string;
  labelNames?: string[];
  /** Reads the current value(s); a throw is counted as no sample rather than failing the whole scrape. */
  read: () => number | Sample[];
};

function samplesOf(read: SampledOptions["read"]): Sample[] {
  try {
    const v = read();
    return typeof v === "number" ? [{ labels: {}, value: v }] : v;
  } catch {
    return [];
  }
}

/** A gauge whose value(s) `read` returns at each scrape. */
export function sampledGauge(registry: Registry, options: SampledOptions): Gauge {
  return new Gauge({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames ?? [],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of samplesOf(options.read)) this.set(s.labels, s.value);
    },
  });
}

/**
 * A counter whose running total(s) `read` returns at each scrape. The source only ever grows (or restarts with the
 * process), which is what a Prometheus counter promises.
 */
export function sampledCounter(registry: Registry, options: SampledOptions): Counter {
  return new Counter({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames ?? [],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of samplesOf(options.read)) if (s.value > 0) this.inc(s.labels, s.value);
    },
  });
}
