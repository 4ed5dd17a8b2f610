/**
 * YAML configuration for edge_core and cloud_core: schemas, defaults, validation with errors that name the file,
 * key path and expectation.
 * @module
 */
export { cloudSchema, resolveCloudConfig } from "./cloud_config.ts";
export type { CloudConfig } from "./cloud_config.ts";
export { edgeSchema, resolveEdgeConfig } from "./edge_config.ts";
export type { EdgeConfig } from "./edge_config.ts";
export { ConfigFileError, loadConfig, parseConfig } from "./load_config.ts";
export { configReference } from "./reference.ts";
export { bool, ConfigError, duration, hostPort, int, oneOf, parseDurationMs, section, str } from "./schema.ts";
export type { Field, Infer } from "./schema.ts";
