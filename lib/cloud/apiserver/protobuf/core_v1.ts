/**
 * Field tables of k8s.io/api core/v1 messages (core/v1/generated.proto, release-1.32): the kinds kubectl's generators
 * create, and as much of PodSpec and Container as `kubectl create deployment` fills plus the common neighbours.
 */
import { CONDITION, OBJECT_META } from "./meta_v1.ts";
import { field, inline, list, map, pointer, type MessageSpec } from "./schema.ts";

const LOCAL_OBJECT_REFERENCE: MessageSpec = { 1: field("name", "string") };

const OBJECT_REFERENCE: MessageSpec = {
  1: field("kind", "string"),
  2: field("namespace", "string"),
  3: field("name", "string"),
  4: field("uid", "string"),
  5: field("apiVersion", "string"),
  6: field("resourceVersion", "string"),
  7: field("fieldPath", "string"),
};

/** v1 ConfigMap: data as strings, binaryData as bytes (base64 in JSON). */
export const CONFIG_MAP: MessageSpec = {
  1: field("metadata", OBJECT_META),
  4: pointer("immutable", "bool"),
  2: map("data", "string"),
  3: map("binaryData", "bytes"),
};

/** v1 Secret: data as bytes (base64 in JSON); stringData passes through for the server to fold in. */
export const SECRET: MessageSpec = {
  1: field("metadata", OBJECT_META),
  5: pointer("immutable", "bool"),
  2: map("data", "bytes"),
  4: map("stringData", "string"),
  3: field("type", "string"),
};

/** v1 ServiceAccount, from `kubectl create serviceaccount`. */
export const SERVICE_ACCOUNT: MessageSpec = {
  1: field("metadata", OBJECT_META),
  2: list("secrets", OBJECT_REFERENCE),
  3: list("imagePullSecrets", LOCAL_OBJECT_REFERENCE),
  4: pointer("automountServiceAccountToken", "bool"),
};

const NAMESPACE_CONDITION: MessageSpec = {
  1: field("type", "string"),
  2: field("status", "string"),
  4: field("lastTransitionTime", "time"),
  5: field("reason", "string"),
  6: field("message", "string"),
};

/** v1 Namespace with its spec.finalizers and status. */
export const NAMESPACE: MessageSpec = {
  1: field("metadata", OBJECT_META),
  2: field("spec", { 1: list("finalizers", "string") }),
  3: field("status", { 1: field("phase", "string"), 2: list("conditions", NAMESPACE_CONDITION) }),
};

const SERVICE_PORT: MessageSpec = {
  1: field("name", "string"),
  2: field("protocol", "string"),
  6: pointer("appProtocol", "string"),
  3: field("port", "int32"),
  4: field("targetPort", "intOrString"),
  5: field("nodePort", "int32"),
};

const SERVICE_SPEC: MessageSpec = {
  1: list("ports", SERVICE_PORT),
  2: map("selector", "string"),
  3: field("clusterIP", "string"),
  18: list("clusterIPs", "string"),
  4: field("type", "string"),
  5: list("externalIPs", "string"),
  7: field("sessionAffinity", "string"),
  8: field("loadBalancerIP", "string"),
  9: list("loadBalancerSourceRanges", "string"),
  10: field("externalName", "string"),
  11: field("externalTrafficPolicy", "string"),
  12: field("healthCheckNodePort", "int32"),
  13: field("publishNotReadyAddresses", "bool"),
  14: pointer("sessionAffinityConfig", { 1: pointer("clientIP", { 1: pointer("timeoutSeconds", "int32") }) }),
  19: list("ipFamilies", "string"),
  17: pointer("ipFamilyPolicy", "string"),
  20: pointer("allocateLoadBalancerNodePorts", "bool"),
  21: pointer("loadBalancerClass", "string"),
  22: pointer("internalTrafficPolicy", "string"),
  23: pointer("trafficDistribution", "string"),
};

const PORT_STATUS: MessageSpec = {
  1: field("port", "int32"),
  2: field("protocol", "string"),
  3: pointer("error", "string"),
};

const LOAD_BALANCER_INGRESS: MessageSpec = {
  1: field("ip", "string"),
  2: field("hostname", "string"),
  3: pointer("ipMode", "string"),
  4: list("ports", PORT_STATUS),
};

/** v1 Service, from `kubectl create service clusterip|nodeport|loadbalancer|externalname`. */
export const SERVICE: MessageSpec = {
  1: field("metadata", OBJECT_META),
  2: field("spec", SERVICE_SPEC),
  3: field("status", {
    1: field("loadBalancer", { 1: list("ingress", LOAD_BALANCER_INGRESS) }),
    2: list("conditions", CONDITION),
  }),
};

const CONTAINER_PORT: MessageSpec = {
  1: field("name", "string"),
  2: field("hostPort", "int32"),
  3: field("containerPort", "int32"),
  4: field("protocol", "string"),
  5: field("hostIP", "string"),
};

const KEY_SELECTOR: MessageSpec = {
  1: inline(LOCAL_OBJECT_REFERENCE),
  2: field("key", "string"),
  3: pointer("optional", "bool"),
};

const ENV_VAR_SOURCE: MessageSpec = {
  1: pointer("fieldRef", { 1: field("apiVersion", "string"), 2: field("fieldPath", "string") }),
  2: pointer("resourceFieldRef", {
    1: field("containerName", "string"),
    2: field("resource", "string"),
    3: field("divisor", "quantity"),
  }),
  3: pointer("configMapKeyRef", KEY_SELECTOR),
  4: pointer("secretKeyRef", KEY_SELECTOR),
};

const ENV_VAR: MessageSpec = {
  1: field("name", "string"),
  2: field("value", "string"),
  3: pointer("valueFrom", ENV_VAR_SOURCE),
};

const ENV_SOURCE_REF: MessageSpec = { 1: inline(LOCAL_OBJECT_REFERENCE), 2: pointer("optional", "bool") };

const ENV_FROM_SOURCE: MessageSpec = {
  1: field("prefix", "string"),
  2: pointer("configMapRef", ENV_SOURCE_REF),
  3: pointer("secretRef", ENV_SOURCE_REF),
};

const RESOURCE_REQUIREMENTS: MessageSpec = {
  1: map("limits", "quantity"),
  2: map("requests", "quantity"),
  3: list("claims", { 1: field("name", "string"), 2: field("request", "string") }),
};

const VOLUME_MOUNT: MessageSpec = {
  1: field("name", "string"),
  2: field("readOnly", "bool"),
  7: pointer("recursiveReadOnly", "string"),
  3: field("mountPath", "string"),
  4: field("subPath", "string"),
  5: pointer("mountPropagation", "string"),
  6: field("subPathExpr", "string"),
};

const CONTAINER: MessageSpec = {
  1: field("name", "string"),
  2: field("image", "string"),
  3: list("command", "string"),
  4: list("args", "string"),
  5: field("workingDir", "string"),
  6: list("ports", CONTAINER_PORT),
  19: list("envFrom", ENV_FROM_SOURCE),
  7: list("env", ENV_VAR),
  8: field("resources", RESOURCE_REQUIREMENTS),
  24: pointer("restartPolicy", "string"),
  9: list("volumeMounts", VOLUME_MOUNT),
  13: field("terminationMessagePath", "string"),
  20: field("terminationMessagePolicy", "string"),
  14: field("imagePullPolicy", "string"),
  16: field("stdin", "bool"),
  17: field("stdinOnce", "bool"),
  18: field("tty", "bool"),
};

const TOLERATION: MessageSpec = {
  1: field("key", "string"),
  2: field("operator", "string"),
  3: field("value", "string"),
  4: field("effect", "string"),
  5: pointer("tolerationSeconds", "int64"),
};

const POD_SPEC: MessageSpec = {
  20: list("initContainers", CONTAINER),
  2: list("containers", CONTAINER),
  3: field("restartPolicy", "string"),
  4: pointer("terminationGracePeriodSeconds", "int64"),
  5: pointer("activeDeadlineSeconds", "int64"),
  6: field("dnsPolicy", "string"),
  7: map("nodeSelector", "string"),
  8: field("serviceAccountName", "string"),
  9: field("serviceAccount", "string"),
  21: pointer("automountServiceAccountToken", "bool"),
  10: field("nodeName", "string"),
  11: field("hostNetwork", "bool"),
  12: field("hostPID", "bool"),
  13: field("hostIPC", "bool"),
  15: list("imagePullSecrets", LOCAL_OBJECT_REFERENCE),
  16: field("hostname", "string"),
  17: field("subdomain", "string"),
  19: field("schedulerName", "string"),
  22: list("tolerations", TOLERATION),
  24: field("priorityClassName", "string"),
  25: pointer("priority", "int32"),
  28: list("readinessGates", { 1: field("conditionType", "string") }),
  29: pointer("runtimeClassName", "string"),
  30: pointer("enableServiceLinks", "bool"),
};

/** v1 PodTemplateSpec, the template of workload kinds. */
export const POD_TEMPLATE_SPEC: MessageSpec = {
  1: field("metadata", OBJECT_META),
  2: field("spec", POD_SPEC),
};
