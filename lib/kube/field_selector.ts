/**
 * Field selectors: the `fieldSelector` query string (`spec.nodeName=edge-1,status.phase!=Failed`) and the fields
 * each kind can be selected by, with the values the API server compares them against.
 *
 * Syntax: `f=v`, `f==v`, `f!=v`, comma = AND, an empty value is legal; an unsupported field is a 400
 * with the message `field label not supported: <label>`.
 *
 * @module
 */
import { KubeError } from "./kube_error.ts";
import { getPath, isPlainObject } from "./objects.ts";
import type { JsonObject, JsonValue } from "./types.ts";

/** One comparison of a field with a value. `==` parses to `=`. */
export type FieldRequirement = { readonly field: string; readonly operator: "=" | "!="; readonly value: string };

/** A parsed field selector: all requirements must hold; none selects everything. */
export type FieldSelector = { readonly requirements: readonly FieldRequirement[] };

type FieldGetter = (obj: JsonObject) => string;

/** A field as the server compares it: strings as is, booleans and numbers printed, missing as "". */
function text(value: JsonValue | undefined): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "number") return String(value);
  return "";
}

function field(path: string): FieldGetter {
  return (obj) => text(getPath(obj, path));
}

function flag(path: string): FieldGetter {
  return (obj) => String(getPath(obj, path) === true);
}

function firstPodIP(obj: JsonObject): string {
  const ip = getPath(obj, "status.podIP");
  if (typeof ip === "string" && ip !== "") return ip;
  const ips = getPath(obj, "status.podIPs");
  return Array.isArray(ips) && isPlainObject(ips[0]) ? text(ips[0].ip) : "";
}

const COMMON_FIELDS: Record<string, FieldGetter> = {
  "metadata.name": field("metadata.name"),
  "metadata.namespace": field("metadata.namespace"),
};

const INVOLVED = ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"];

// The selectable fields of the API server, per kind, beyond metadata.name and metadata.namespace.
const KIND_FIELDS: Record<string, Record<string, FieldGetter>> = {
  Pod: {
    "spec.nodeName": field("spec.nodeName"),
    "spec.restartPolicy": field("spec.restartPolicy"),
    "spec.schedulerName": field("spec.schedulerName"),
    "spec.serviceAccountName": field("spec.serviceAccountName"),
    "spec.hostNetwork": flag("spec.hostNetwork"),
    "status.phase": field("status.phase"),
    "status.podIP": firstPodIP,
    // Compared like status.podIP: the primary address.
    "status.podIPs": firstPodIP,
    "status.nominatedNodeName": field("status.nominatedNodeName"),
  },
  Node: { "spec.unschedulable": flag("spec.unschedulable") },
  Event: {
    ...Object.fromEntries(INVOLVED.map((f) => [`involvedObject.${f}`, field(`involvedObject.${f}`)])),
    reason: field("reason"),
    reportingComponent: field("reportingComponent"),
    // The API server reports the component of `source`, falling back to reportingComponent.
    source: (obj) => text(getPath(obj, "source.component")) || text(getPath(obj, "reportingComponent")),
    type: field("type"),
  },
  Secret: { type: field("type") },
};

function getterFor(kind: string, label: string): FieldGetter {
  const getter = KIND_FIELDS[kind]?.[label] ?? COMMON_FIELDS[label];
  if (!getter) throw new KubeError("FieldLabelNotSupported", `field label not supported: ${label}`);
  return getter;
}

/** Splits on `sep` where not escaped by a backslash. */
function splitUnescaped(input: string, sep: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < input.length; i++) {
    if (input[i] === "\\") i++;
    else if (input[i] === sep) {
      parts.push(input.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(input.slice(start));
  return parts;
}

/**
 * Parses the field selector query syntax. Values may escape `\`, `,` and `=` with a backslash.
 *
 * @param input the `fieldSelector` query parameter, already URL-decoded
 * @returns the selector; the empty string selects everything
 * @throws SyntaxError for a term without an operator, an empty field name or a bad escape
 * @example Parse
 * ```ts
 * parseFieldSelector("involvedObject.name=web,involvedObject.namespace=");
 * // { requirements: [{ field: "involvedObject.name", operator: "=", value: "web" }, { …, value: "" }] }
 * ```
 */
export function parseFieldSelector(input: string): FieldSelector {
  const fail = (detail: string): never => {
    throw new SyntaxError(`Cannot parse field selector "${input}": ${detail}`);
  };
  if (input.trim() === "") return { requirements: [] };
  const requirements = splitUnescaped(input, ",").map((term): FieldRequirement => {
    let at = -1;
    for (let i = 0; i < term.length && at < 0; i++) {
      if (term[i] === "\\") i++;
      else if (term[i] === "=" || term.startsWith("!=", i)) at = i;
    }
    if (at < 0) return fail(`term "${term}" has no "=", "==" or "!="`);
    const op = term.startsWith("!=", at) ? "!=" : term.startsWith("==", at) ? "==" : "=";
    const name = term.slice(0, at).trim();
    if (name === "") fail(`term "${term}" has no field name`);
    return { field: name, operator: op === "!=" ? "!=" : "=", value: unescape(term.slice(at + op.length).trim()) };
  });
  return { requirements };

  function unescape(value: string): string {
    let out = "";
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (c !== "\\") out += c;
      else if (value[i + 1] === "\\" || value[i + 1] === "," || value[i + 1] === "=") out += value[++i];
      else fail(`invalid escape sequence in value "${value}"`);
    }
    return out;
  }
}

/**
 * The field labels a kind can be selected by.
 *
 * @param kind the object kind, e.g. `Pod` (custom resources get the metadata fields only)
 * @returns the labels, sorted
 */
export function supportedFieldLabels(kind: string): string[] {
  return [...Object.keys(COMMON_FIELDS), ...Object.keys(KIND_FIELDS[kind] ?? {})].sort();
}

/**
 * Checks, before listing or watching, that every field of a selector is supported for a kind, so a bad request fails
 * even when no object exists.
 *
 * @param selector the parsed selector
 * @param kind the object kind, e.g. `Pod`
 * @throws KubeError `FieldLabelNotSupported` naming the first unsupported field
 */
export function checkFieldSelector(selector: FieldSelector, kind: string): void {
  for (const req of selector.requirements) getterFor(kind, req.field);
}

/**
 * Tells whether an object satisfies a field selector.
 *
 * @param selector the parsed selector
 * @param obj the object as JSON
 * @param kind the object kind, e.g. `Pod`
 * @returns true when every requirement holds
 * @throws KubeError `FieldLabelNotSupported` when the selector names a field the kind does not support
 */
export function matchesFields(selector: FieldSelector, obj: JsonObject, kind: string): boolean {
  return selector.requirements.every((req) => {
    const equal = getterFor(kind, req.field)(obj) === req.value;
    return req.operator === "=" ? equal : !equal;
  });
}
