/**
 * Kubernetes objects as plain JSON, for the embedded API server and the controllers: label and field selectors,
 * the three patch types, server-side apply, and small object helpers. Pure functions, no I/O.
 *
 * @module
 */
export { fieldsV1Of, serverSideApply } from "./server_side_apply.ts";
export { recordUpdate, type RecordUpdateOptions } from "./managed_fields.ts";
export type { ServerSideApplyOptions, ServerSideApplyResult } from "./server_side_apply.ts";
export { strategicMergePatch, supportsStrategicMerge } from "./strategic_merge_patch.ts";
export { applyJsonPatch, parseJsonPointer } from "./json_patch.ts";
export type { JsonPatchOperation } from "./json_patch.ts";
export { jsonMergePatch } from "./merge_patch.ts";
export { labelSelectorFromObject, matchesLabels, parseLabelSelector, selectorToString } from "./label_selector.ts";
export type { LabelOperator, LabelRequirement, LabelSelector, LabelSelectorObject } from "./label_selector.ts";
export { checkFieldSelector, matchesFields, parseFieldSelector, supportedFieldLabels } from "./field_selector.ts";
export type { FieldRequirement, FieldSelector } from "./field_selector.ts";
export { deepClone, deepEqual, getPath, isPlainObject, objectKey, setPath } from "./objects.ts";
export { KubeError } from "./kube_error.ts";
export type { KubeErrorCode } from "./kube_error.ts";
export type { FieldsV1, JsonObject, JsonValue, KubeObject, ManagedFieldsEntry, ObjectMeta } from "./types.ts";
export { milliValue, parseQuantity } from "./quantity.ts";
export { conditionsOf, findCondition } from "./conditions.ts";
export type { Condition } from "./conditions.ts";
export * as shape from "./shape.ts";
export type { Shape } from "./shape.ts";
export { nodeStatusShape, podStatusShape } from "./status_shapes.ts";
