/**
 * Levelled one-line logging shared by edge and cloud.
 * @module
 */
export { createLogger, redact, silentLogger } from "./logger.ts";
export type { LogContext, Logger, LoggerOptions, LogLevel } from "./logger.ts";
