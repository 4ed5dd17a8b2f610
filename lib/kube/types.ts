/**
 * JSON shapes shared by the Kubernetes object helpers. Objects here are plain decoded JSON (what the API server
 * stores and serves), not the typed classes of `@kubernetes/client-node`.
 *
 * @module
 */

/** Any decoded JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/** A decoded JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** The part of `metadata` the helpers read. Other fields pass through untouched. */
export type ObjectMeta = JsonObject & {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: ManagedFieldsEntry[];
};

/** A Kubernetes object as JSON: `apiVersion`, `kind`, `metadata` and whatever else its kind has. */
export type KubeObject = JsonObject & { apiVersion?: string; kind?: string; metadata?: ObjectMeta };

/**
 * A field set in the API's `FieldsV1` form: `f:<field>` for a map key, `k:<json of merge key>` for an item of a keyed
 * list, `v:<json value>` for an item of a set of primitives, `.` for the node itself.
 */
export type FieldsV1 = { [key: string]: FieldsV1 };

/** One `metadata.managedFields` entry. */
export type ManagedFieldsEntry = JsonObject & {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion?: string;
  time?: string;
  fieldsType?: "FieldsV1";
  fieldsV1?: FieldsV1;
  subresource?: string;
};
