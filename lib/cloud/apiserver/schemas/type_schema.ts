/**
 * A compact description of the JSON shape of built-in kinds: which fields exist and what type each has, with the
 * Go type names the real apiserver prints in its decoding errors (`... of type []v1.NodeCondition`). One description
 * serves the decode check (wrong types, unknown fields) and the OpenAPI schemas `kubectl explain` reads.
 *
 * A struct marked `open` accepts fields it does not list: used where our list of fields is not complete, so a valid
 * manifest is never refused for a field we did not write down.
 *
 * @module
 */

/** The type of one field. `go` is the Go type name used in messages. */
export type TypeSchema =
  | { type: "string"; go: string; description?: string; enum?: readonly string[] }
  | { type: "integer"; go: "int32" | "int64"; description?: string }
  | { type: "boolean"; go: "bool"; description?: string }
  | { type: "quantity"; go: "resource.Quantity"; description?: string }
  | { type: "intOrString"; go: "intstr.IntOrString"; description?: string }
  | { type: "time"; go: "v1.Time"; description?: string }
  | { type: "any"; go: string; description?: string }
  | { type: "map"; go: string; of: TypeSchema; description?: string }
  | { type: "list"; go: string; of: TypeSchema; description?: string }
  | StructSchema;

/** A Go struct: its JSON fields. `name` is the Go type without package (`NodeStatus`), `go` with (`v1.NodeStatus`). */
export type StructSchema = {
  type: "struct";
  name: string;
  go: string;
  fields: Readonly<Record<string, TypeSchema>>;
  /** Fields not listed are accepted (our list is partial there). */
  open?: boolean;
  description?: string;
  /** Fields the API requires (for OpenAPI). */
  required?: readonly string[];
};

/** A string field; `go` for a named string type such as `v1.NodeConditionType`. */
export function str(description?: string, go = "string"): TypeSchema {
  return { type: "string", go, description };
}

/** A string of a named Go type (`v1.ConditionStatus`). */
export function named(go: string, description?: string): TypeSchema {
  return { type: "string", go, description };
}

/** An int32 field. */
export function int32(description?: string): TypeSchema {
  return { type: "integer", go: "int32", description };
}

/** An int64 field. */
export function int64(description?: string): TypeSchema {
  return { type: "integer", go: "int64", description };
}

/** A boolean field. */
export function bool(description?: string): TypeSchema {
  return { type: "boolean", go: "bool", description };
}

/** A resource.Quantity ("500m", "1Gi", or a number). */
export function quantity(description?: string): TypeSchema {
  return { type: "quantity", go: "resource.Quantity", description };
}

/** An intstr.IntOrString (a port number or name). */
export function intOrString(description?: string): TypeSchema {
  return { type: "intOrString", go: "intstr.IntOrString", description };
}

/** A metav1.Time (RFC 3339 text). */
export function time(description?: string): TypeSchema {
  return { type: "time", go: "v1.Time", description };
}

/** A value not described further (a free-form object). */
export function any(description?: string, go = "runtime.RawExtension"): TypeSchema {
  return { type: "any", go, description };
}

/** A map with string keys. */
export function mapOf(of: TypeSchema, description?: string, go = `map[string]${of.go}`): TypeSchema {
  return { type: "map", go, of, description };
}

/** A list. */
export function listOf(of: TypeSchema, description?: string, go = `[]${of.go}`): TypeSchema {
  return { type: "list", go, of, description };
}

/** A struct of package `pkg` (`v1` for core, apps and meta types). */
export function struct(name: string, fields: Record<string, TypeSchema>, options: { description?: string; open?: boolean; required?: string[]; pkg?: string } = {}): StructSchema {
  return { type: "struct", name, go: `${options.pkg ?? "v1"}.${name}`, fields, open: options.open, description: options.description, required: options.required };
}

/** The same type with another description (for a field whose meaning is specific). */
export function described(t: TypeSchema, description: string): TypeSchema {
  return { ...t, description } as TypeSchema;
}
