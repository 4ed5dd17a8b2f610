/**
 * The field tables that drive decodeMessage: one table per protobuf message, keyed by field number, with the JSON
 * name and type of each field (numbers from k8s.io/api and apimachinery generated.proto, release-1.32). Adding a field
 * is one line in a table; fields missing from a table are skipped.
 */

/**
 * How a value is encoded and what it becomes in JSON.
 * - `string`, `bool`, `int32`, `int64`: the scalar itself
 * - `bytes`: base64 text, as Kubernetes JSON carries []byte
 * - `time`: metav1.Time, an RFC 3339 string in whole seconds (an empty message is the zero time and is left out)
 * - `microTime`: metav1.MicroTime, RFC 3339 with 6 fraction digits
 * - `intOrString`: intstr.IntOrString, a JSON number or string
 * - `quantity`: resource.Quantity, its string form ("500m", "1Gi")
 * - `fieldsV1`: metav1.FieldsV1, whose bytes are already JSON
 * - a MessageSpec: a nested object
 */
export type FieldType =
  | "string" | "bytes" | "bool" | "int32" | "int64" | "time" | "microTime" | "intOrString" | "quantity" | "fieldsV1"
  | MessageSpec;

/** One field of a message table. */
export interface FieldSpec {
  /** The JSON field name; ignored for `inline` fields. */
  name: string;
  type: FieldType;
  /** `repeated` is a JSON array; `map` is map<string, type>, a JSON object. */
  shape: "single" | "repeated" | "map";
  /**
   * Go pointer fields (`*int32`, `*bool`, pointer structs) are on the wire only when set, so their zero values are
   * kept. Other fields are always written, so zero values ("", 0, false, {}) are left out as `omitempty` would.
   */
  keepZero: boolean;
  /** An embedded Go struct: its fields land in the parent object (LocalObjectReference in key selectors). */
  inline: boolean;
}

/** A message: field number to field. */
export type MessageSpec = { readonly [field: number]: FieldSpec };

const BASE = { shape: "single", keepZero: false, inline: false } as const;

/** A field whose zero value is left out (a non-pointer Go field). */
export function field(name: string, type: FieldType): FieldSpec {
  return { ...BASE, name, type };
}

/** A Go pointer field: kept whenever present, zero or not. */
export function pointer(name: string, type: FieldType): FieldSpec {
  return { ...BASE, name, type, keepZero: true };
}

/** A repeated field: a JSON array. */
export function list(name: string, type: FieldType): FieldSpec {
  return { ...BASE, name, type, shape: "repeated" };
}

/** A map<string, type> field: a JSON object. */
export function map(name: string, type: FieldType): FieldSpec {
  return { ...BASE, name, type, shape: "map" };
}

/** An embedded struct whose fields join the parent object. */
export function inline(type: MessageSpec): FieldSpec {
  return { ...BASE, name: "", type, inline: true };
}
