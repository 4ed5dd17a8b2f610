/**
 * The shape of a CustomResourceDefinition as far as decoding goes: above all JSONSchemaProps, which nests itself
 * (`properties`, `items`, ...). A schema where a property is not an object (`x-kubernetes-preserve-unknown-fields:
 * true` written inside a `properties` map) fails to decode on a real apiserver; it must here too.
 *
 * The CRD's own structs are `open`: only the types of what is listed are checked.
 *
 * @module
 */
import { any, bool, int64, listOf, mapOf, str, struct, type StructSchema } from "./type_schema.ts";

/** apiextensions v1 JSONSchemaProps (recursive). */
export const JSON_SCHEMA_PROPS: StructSchema = struct("JSONSchemaProps", {}, { description: "an OpenAPI v3 schema with Kubernetes extensions", open: true });

const props = JSON_SCHEMA_PROPS;
Object.assign(JSON_SCHEMA_PROPS, {
  fields: {
    id: str("schema id"), $schema: str("schema dialect"), $ref: str("reference"), description: str("what the value is"),
    type: str("array, boolean, integer, number, object or string"), format: str("format of a string or number"), title: str("title"),
    default: any("default value", "*v1.JSON"), maximum: any("largest value", "*float64"), exclusiveMaximum: bool("maximum excluded"),
    minimum: any("smallest value", "*float64"), exclusiveMinimum: bool("minimum excluded"), maxLength: int64("longest string"),
    minLength: int64("shortest string"), pattern: str("regular expression for strings"), maxItems: int64("most items"),
    minItems: int64("fewest items"), uniqueItems: bool("items are unique"), multipleOf: any("divisor", "*float64"),
    enum: listOf(any("a value", "v1.JSON"), "allowed values"), maxProperties: int64("most properties"), minProperties: int64("fewest properties"),
    required: listOf(str(), "required properties"), items: any("schema of the items", "*v1.JSONSchemaPropsOrArray"),
    allOf: listOf(props, "all of these schemas"), oneOf: listOf(props, "exactly one of these schemas"), anyOf: listOf(props, "any of these schemas"),
    not: props, properties: mapOf(props, "schemas of the properties", "map[string]v1.JSONSchemaProps"),
    additionalProperties: any("schema of other properties, or false", "*v1.JSONSchemaPropsOrBool"),
    patternProperties: mapOf(props, "schemas by property pattern", "map[string]v1.JSONSchemaProps"),
    dependencies: any("property dependencies", "v1.JSONSchemaDependencies"), additionalItems: any("schema of other items", "*v1.JSONSchemaPropsOrBool"),
    definitions: mapOf(props, "named schemas", "v1.JSONSchemaDefinitions"), externalDocs: any("documentation", "*v1.ExternalDocumentation"),
    example: any("example", "*v1.JSON"), nullable: bool("null is allowed"),
    "x-kubernetes-preserve-unknown-fields": bool("keep fields the schema does not list"),
    "x-kubernetes-embedded-resource": bool("the value is a Kubernetes object"), "x-kubernetes-int-or-string": bool("integer or string"),
    "x-kubernetes-list-map-keys": listOf(str(), "keys of a map-typed list"), "x-kubernetes-list-type": str("atomic, set or map"),
    "x-kubernetes-map-type": str("granular or atomic"), "x-kubernetes-validations": any("CEL rules", "v1.ValidationRules"),
  },
});

/** apiextensions.k8s.io/v1 CustomResourceDefinition. */
export const CRD_SCHEMA: StructSchema = struct("CustomResourceDefinition", {
  apiVersion: str("versioned schema of this object"), kind: str("the kind of this object"),
  spec: struct("CustomResourceDefinitionSpec", {
    versions: listOf(struct("CustomResourceDefinitionVersion", {
      name: str("version name"), served: bool("served over the API"), storage: bool("the storage version"),
      schema: struct("CustomResourceValidation", { openAPIV3Schema: props }, { open: true }),
    }, { open: true })),
  }, { open: true }),
}, { open: true, description: "a custom resource type" });
