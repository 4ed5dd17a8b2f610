/** Field tables of k8s.io/api apps/v1 messages (apps/v1/generated.proto, release-1.32). */
import { POD_TEMPLATE_SPEC } from "./core_v1.ts";
import { LABEL_SELECTOR, OBJECT_META } from "./meta_v1.ts";
import { field, list, pointer, type MessageSpec } from "./schema.ts";

const DEPLOYMENT_STRATEGY: MessageSpec = {
  1: field("type", "string"),
  2: pointer("rollingUpdate", { 1: pointer("maxUnavailable", "intOrString"), 2: pointer("maxSurge", "intOrString") }),
};

const DEPLOYMENT_SPEC: MessageSpec = {
  1: pointer("replicas", "int32"),
  2: pointer("selector", LABEL_SELECTOR),
  3: field("template", POD_TEMPLATE_SPEC),
  4: field("strategy", DEPLOYMENT_STRATEGY),
  5: field("minReadySeconds", "int32"),
  6: pointer("revisionHistoryLimit", "int32"),
  7: field("paused", "bool"),
  9: pointer("progressDeadlineSeconds", "int32"),
};

const DEPLOYMENT_CONDITION: MessageSpec = {
  1: field("type", "string"),
  2: field("status", "string"),
  6: field("lastUpdateTime", "time"),
  7: field("lastTransitionTime", "time"),
  4: field("reason", "string"),
  5: field("message", "string"),
};

const DEPLOYMENT_STATUS: MessageSpec = {
  1: field("observedGeneration", "int64"),
  2: field("replicas", "int32"),
  3: field("updatedReplicas", "int32"),
  7: field("readyReplicas", "int32"),
  4: field("availableReplicas", "int32"),
  5: field("unavailableReplicas", "int32"),
  6: list("conditions", DEPLOYMENT_CONDITION),
  8: pointer("collisionCount", "int32"),
};

/** apps/v1 Deployment, from `kubectl create deployment`. */
export const DEPLOYMENT: MessageSpec = {
  1: field("metadata", OBJECT_META),
  2: field("spec", DEPLOYMENT_SPEC),
  3: field("status", DEPLOYMENT_STATUS),
};
