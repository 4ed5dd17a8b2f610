/**
 * Reads a YAML config file and validates it against a schema. Every error names the file, the key path and what
 * was expected: `edge.yaml: eventBus.mode: expected one of internal, external, both, got "intrnal"`.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import * as yaml from "js-yaml";
import { ConfigError, type Field } from "./schema.ts";

/** A config that cannot be used; the message is one line fit for a terminal. */
export class ConfigFileError extends Error {
  readonly file: string;
  constructor(file: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConfigFileError";
    this.file = file;
  }
}

/** Parses YAML text against a schema. `file` names the source in errors. @throws ConfigFileError */
export function parseConfig<T>(text: string, schema: Field<T>, file: string): T {
  const name = basename(file);
  let raw: unknown = {};
  try {
    // js-yaml 5 rejects an empty document; an empty or all-comment config means "all defaults"
    if (text.replace(/^\s*#.*$/gm, "").trim()) raw = yaml.load(text, { filename: name });
  } catch (cause) {
    const e = cause as { reason?: string; mark?: { line: number; column: number } };
    const where = e.mark ? ` (line ${e.mark.line + 1}, column ${e.mark.column + 1})` : "";
    throw new ConfigFileError(file, `${name}: invalid YAML${where}: ${e.reason ?? String(cause)}`, { cause });
  }
  try {
    return schema.parse(raw ?? {}, "");
  } catch (cause) {
    if (cause instanceof ConfigError) throw new ConfigFileError(file, `${name}: ${cause.message}`, { cause });
    throw cause;
  }
}

/**
 * Runs a step that completes a loaded config (defaults taken from the host, paths) so that its ConfigError names
 * `file` exactly as a parse error does.
 *
 * @throws ConfigFileError for a ConfigError thrown by `fn`
 */
export function withConfigFile<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    if (cause instanceof ConfigError) throw new ConfigFileError(file, `${basename(file)}: ${cause.message}`, { cause });
    throw cause;
  }
}

/** Reads and validates a config file. @throws ConfigFileError when unreadable or invalid */
export function loadConfig<T>(path: string, schema: Field<T>): T {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new ConfigFileError(path, `Cannot read config ${JSON.stringify(path)}: ${(cause as Error).message}`, { cause });
  }
  return parseConfig(text, schema, path);
}
