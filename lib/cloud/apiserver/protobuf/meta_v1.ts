/** Field tables of k8s.io/apimachinery meta/v1 messages (pkg/apis/meta/v1/generated.proto, release-1.32). */
import { field, list, map, pointer, type MessageSpec } from "./schema.ts";

const OWNER_REFERENCE: MessageSpec = {
  5: field("apiVersion", "string"),
  1: field("kind", "string"),
  3: field("name", "string"),
  4: field("uid", "string"),
  6: pointer("controller", "bool"),
  7: pointer("blockOwnerDeletion", "bool"),
};

const MANAGED_FIELDS_ENTRY: MessageSpec = {
  1: field("manager", "string"),
  2: field("operation", "string"),
  3: field("apiVersion", "string"),
  4: pointer("time", "time"),
  6: field("fieldsType", "string"),
  7: pointer("fieldsV1", "fieldsV1"),
  8: field("subresource", "string"),
};

/** metav1.ObjectMeta, the `metadata` of every kind. */
export const OBJECT_META: MessageSpec = {
  1: field("name", "string"),
  2: field("generateName", "string"),
  3: field("namespace", "string"),
  4: field("selfLink", "string"),
  5: field("uid", "string"),
  6: field("resourceVersion", "string"),
  7: field("generation", "int64"),
  8: field("creationTimestamp", "time"),
  9: pointer("deletionTimestamp", "time"),
  10: pointer("deletionGracePeriodSeconds", "int64"),
  11: map("labels", "string"),
  12: map("annotations", "string"),
  13: list("ownerReferences", OWNER_REFERENCE),
  14: list("finalizers", "string"),
  17: list("managedFields", MANAGED_FIELDS_ENTRY),
};

const LABEL_SELECTOR_REQUIREMENT: MessageSpec = {
  1: field("key", "string"),
  2: field("operator", "string"),
  3: list("values", "string"),
};

/** metav1.LabelSelector: matchLabels and matchExpressions. */
export const LABEL_SELECTOR: MessageSpec = {
  1: map("matchLabels", "string"),
  2: list("matchExpressions", LABEL_SELECTOR_REQUIREMENT),
};

/** metav1.Condition, the generic status condition (Service status uses it). */
export const CONDITION: MessageSpec = {
  1: field("type", "string"),
  2: field("status", "string"),
  3: field("observedGeneration", "int64"),
  4: field("lastTransitionTime", "time"),
  5: field("reason", "string"),
  6: field("message", "string"),
};
