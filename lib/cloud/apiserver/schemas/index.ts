/**
 * The shapes of the built-in kinds: decode checks (wrong types, unknown fields) and OpenAPI schemas, from one
 * description.
 *
 * @module
 */
export { KIND_SCHEMAS, OBJECT_META } from "./core_schemas.ts";
export { decodeCheck, type DecodeFindings } from "./decode_check.ts";
export type { StructSchema, TypeSchema } from "./type_schema.ts";
