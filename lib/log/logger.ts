/**
 * One-line structured logging with levels. Every line names the module and carries context as `key=value` pairs,
 * so a log can be grepped by node, pod or file. Secrets never reach here: callers pass names, not values, and
 * {@link redact} masks the keys that commonly hold credentials.
 *
 * @module
 */

/** Log levels, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Context attached to one log line. Values are rendered with JSON quoting when they contain spaces. */
export type LogContext = Record<string, unknown>;

/** A logger bound to a module name; `child` adds a narrower module name. */
export type Logger = {
  debug(msg: string, ctx?: LogContext): void;
  info(msg: string, ctx?: LogContext): void;
  warn(msg: string, ctx?: LogContext): void;
  error(msg: string, ctx?: LogContext): void;
  child(module: string): Logger;
  /** True when lines of this level are written; lets callers skip building expensive context. */
  enabled(level: LogLevel): boolean;
};

/** Where lines go and which level passes. */
export type LoggerOptions = {
  /** Lowest level written. @default "info" */
  level?: LogLevel;
  /** Sink for finished lines. @default process.stderr */
  write?: (line: string) => void;
};

const SECRET_KEYS = /token|password|secret|key$|authorization|cert(ificate)?body/i;

/** Masks values of context keys that usually carry credentials. */
export function redact(ctx: LogContext): LogContext {
  const out: LogContext = {};
  for (const [k, v] of Object.entries(ctx)) out[k] = SECRET_KEYS.test(k) && typeof v === "string" ? "[redacted]" : v;
  return out;
}

function render(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(v.message);
  if (typeof v === "string") return /[\s="]/.test(v) || v === "" ? JSON.stringify(v) : v;
  if (typeof v === "number" || typeof v === "boolean" || v === null || v === undefined) return String(v);
  return JSON.stringify(v);
}

/**
 * Creates a root logger.
 *
 * @example Log a pod event
 * ```ts
 * const log = createLogger("edged", { level: "debug" });
 * log.info("pod started", { pod: "default/nginx" });
 * ```
 */
export function createLogger(module: string, options: LoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stderr.write(line + "\n"));
  const make = (mod: string): Logger => {
    const emit = (level: LogLevel, msg: string, ctx?: LogContext) => {
      if (ORDER[level] < min) return;
      let line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${mod}] ${msg}`;
      if (ctx) for (const [k, v] of Object.entries(redact(ctx))) line += ` ${k}=${render(v)}`;
      write(line);
    };
    return {
      debug: (m, c) => emit("debug", m, c),
      info: (m, c) => emit("info", m, c),
      warn: (m, c) => emit("warn", m, c),
      error: (m, c) => emit("error", m, c),
      child: (sub) => make(`${mod}.${sub}`),
      enabled: (level) => ORDER[level] >= min,
    };
  };
  return make(module);
}

/** A logger that writes nothing, for unit tests of callers. */
export const silentLogger: Logger = createLogger("silent", { write: () => {} , level: "error" });
