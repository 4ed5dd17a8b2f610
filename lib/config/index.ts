/**
 * YAML configuration for edge_core and cloud_core: schemas, defaults, validation with errors that name the file,
 * key path and expectation.
 * @module
 */
export { certValidity, cloudSchema, resolveCloudConfig } from "./cloud_config.ts";
export type { CloudConfig } from "./cloud_config.ts";
export { edgeSchema, resolveEdgeConfig } from "./edge_config.ts";
export type { EdgeConfig } from "./edge_config.ts";
export { ConfigFileError, loadConfig, parseConfig, withConfigFile } from "./load_config.ts";
export { configReference } from "./reference.ts";
export { bool, ConfigError, DEFAULT_DURATION_RANGE, duration, hostPort, int, isNodeName, MAX_STRING, NODE_NAME_EXPECTED, nodeName, oneOf, parseDurationMs, section, str } from "./schema.ts";
export type { DurationRange, Field, Infer, StringRule } from "./schema.ts";
