/**
 * The validation a real apiserver does that users meet most, answered as 422 Invalid with causes so kubectl prints
 * `The Pod "x" is invalid: spec.containers[0].image: Required value`. Custom resources get the
 * metadata checks here; their schema is not checked.
 *
 * @module
 */
import { deepEqual, isPlainObject, labelSelectorFromObject, matchesLabels, type JsonObject, type JsonValue, type KubeObject } from "../../kube/index.ts";
import { invalidValue, SUBDOMAIN_TEXT, validateDataKeys, validateLabelsAndAnnotations } from "./metadata_validation.ts";
import type { StatusCause } from "./status_error.ts";
import type { ResourceInfo } from "./types.ts";

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_TEXT = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and " +
  "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_TEXT = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic " +
  "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is " +
  "'[a-z]([-a-z0-9]*[a-z0-9])?')";

// Kinds whose names must be labels rather than subdomains: a Service name becomes a DNS name and an environment
// variable prefix, so it must also start with a letter (DNS-1035).
const NAME_RULES: Readonly<Record<string, { re: RegExp; text: string }>> = {
  "/Namespace": { re: LABEL, text: LABEL_TEXT },
  "/Service": { re: DNS1035, text: DNS1035_TEXT },
};

function required(field: string): StatusCause {
  return { reason: "FieldValueRequired", message: "Required value", field };
}

function forbidden(field: string, why: string): StatusCause {
  return { reason: "FieldValueForbidden", message: `Forbidden: ${why}`, field };
}

function objects(v: JsonValue | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter(isPlainObject) : [];
}

/** Checks `metadata.name` against the DNS rule of the kind. */
export function validateName(info: ResourceInfo, name: string): StatusCause[] {
  const rule = NAME_RULES[`${info.group}/${info.kind}`];
  const max = rule ? 63 : 253;
  if (name.length > max) return [invalidValue("metadata.name", name, `must be no more than ${max} characters`)];
  if (rule ? !rule.re.test(name) : !SUBDOMAIN.test(name)) return [invalidValue("metadata.name", name, rule ? rule.text : SUBDOMAIN_TEXT)];
  return [];
}

function validateContainers(spec: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const containers = objects(spec.containers);
  if (containers.length === 0) causes.push(required(`${path}.containers`));
  const seen = new Set<string>();
  for (const [key, list] of [["containers", containers], ["initContainers", objects(spec.initContainers)]] as const) {
    list.forEach((c, i) => {
      const at = `${path}.${key}[${i}]`;
      if (typeof c.name !== "string" || !c.name) causes.push(required(`${at}.name`));
      else if (seen.has(c.name)) causes.push({ reason: "FieldValueDuplicate", message: `Duplicate value: ${JSON.stringify(c.name)}`, field: `${at}.name` });
      else seen.add(c.name);
      if (typeof c.image !== "string" || !c.image.trim()) causes.push(required(`${at}.image`));
    });
  }
  return causes;
}

function validateWorkload(obj: KubeObject, previous?: KubeObject): StatusCause[] {
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  const causes: StatusCause[] = [];
  const template = isPlainObject(spec.template) ? spec.template : {};
  if (!isPlainObject(spec.selector)) causes.push(required("spec.selector"));
  else {
    const labels = isPlainObject(template.metadata) && isPlainObject(template.metadata.labels) ? template.metadata.labels : {};
    try {
      if (!matchesLabels(labelSelectorFromObject(spec.selector), labels as Record<string, string>)) {
        causes.push(invalidValue("spec.template.metadata.labels", labels, "`selector` does not match template `labels`"));
      }
    } catch (err) {
      causes.push(invalidValue("spec.selector", spec.selector, (err as Error).message));
    }
    const before = isPlainObject(previous?.spec) ? previous.spec.selector : undefined;
    if (previous && !deepEqual(before, spec.selector)) causes.push(invalidValue("spec.selector", spec.selector, "field is immutable"));
  }
  causes.push(...validateContainers(isPlainObject(template.spec) ? template.spec : {}, "spec.template.spec"));
  return causes;
}

/** A pod spec with the fields an update may change blanked, to compare the rest. */
function podSpecFrozenPart(spec: JsonObject): JsonObject {
  const copy = structuredClone(spec);
  for (const key of ["containers", "initContainers"]) for (const c of objects(copy[key])) delete c.image;
  delete copy.activeDeadlineSeconds;
  delete copy.tolerations;
  delete copy.terminationGracePeriodSeconds;
  return copy;
}

function validatePod(pod: KubeObject, previous?: KubeObject): StatusCause[] {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const causes = validateContainers(spec, "spec");
  if (previous && isPlainObject(previous.spec) && !deepEqual(podSpecFrozenPart(previous.spec), podSpecFrozenPart(spec))) {
    causes.push(forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`," +
      "`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` " +
      "(allow it to be set to 1 if it was previously negative)"));
  }
  return causes;
}

function validateService(svc: KubeObject): StatusCause[] {
  const spec = isPlainObject(svc.spec) ? svc.spec : {};
  if (spec.type === "ExternalName" || spec.clusterIP === "None") return [];
  return objects(spec.ports).length === 0 ? [required("spec.ports")] : [];
}

/**
 * An Event lives in the namespace of what it is about; Events about cluster-scoped objects (a Node) live in
 * `default`. Otherwise `kubectl describe` of the object, which looks events up by involvedObject, would show events
 * that readers of that namespace were never meant to see, or miss them.
 */
function validateEvent(ev: KubeObject): StatusCause[] {
  // events of the events.k8s.io API (with eventTime) are checked by their own rules, not these
  if (typeof ev.eventTime === "string" && ev.eventTime) return [];
  const about = isPlainObject(ev.involvedObject) ? ev.involvedObject : {};
  const aboutNs = typeof about.namespace === "string" ? about.namespace : "";
  const ns = ev.metadata?.namespace ?? "";
  const fits = aboutNs ? ns === aboutNs : ns === "" || ns === "default";
  return fits ? [] : [invalidValue("involvedObject.namespace", aboutNs, "does not match event.namespace")];
}

const VALIDATORS: Readonly<Record<string, (obj: KubeObject, previous?: KubeObject) => StatusCause[]>> = {
  "/ConfigMap": (cm) => validateDataKeys(cm, ["data", "binaryData"]),
  "/Secret": (secret) => validateDataKeys(secret, ["data"]),
  "/Pod": validatePod,
  "/Service": validateService,
  "/Event": validateEvent,
  "apps/Deployment": validateWorkload,
  "apps/ReplicaSet": validateWorkload,
};

/**
 * Validates an object about to be stored: its name (on create), labels and annotations (every kind, custom
 * resources too) and the rules of its kind (built-in kinds only).
 *
 * @param previous the stored object an update replaces (enables immutability checks)
 * @returns the causes; empty when valid
 */
export function validateObject(info: ResourceInfo, obj: KubeObject, previous?: KubeObject): StatusCause[] {
  const name = obj.metadata?.name ?? "";
  const causes = previous ? [] : validateName(info, name);
  causes.push(...validateLabelsAndAnnotations(isPlainObject(obj.metadata) ? obj.metadata : {}));
  if (info.crd) return causes;
  const validator = VALIDATORS[`${info.group}/${info.kind}`];
  if (validator) causes.push(...validator(obj, previous));
  return causes;
}
