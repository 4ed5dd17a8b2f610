/**
 * The validation every object gets, whatever its kind: label keys and values, annotation keys and size, and the
 * keys of ConfigMap and Secret data. Messages are the real apiserver's, word for word, so kubectl prints the same
 * `The ConfigMap "x" is invalid: metadata.labels: Invalid value: "bad key!": name part must ...`.
 *
 * A key such as `../../x` is not only a bad name: the edge turns data keys into file names under a pod's volume,
 * so these checks are also what keeps a key from escaping that folder.
 *
 * @module
 */
import { isPlainObject, type JsonObject, type JsonValue } from "../../kube/index.ts";
import type { StatusCause } from "./status_error.ts";

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/** The real apiserver's explanation of the lowercase RFC 1123 subdomain rule. */
export const SUBDOMAIN_TEXT = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must " +
  "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUALIFIED_TEXT = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric " +
  "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_TEXT = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must " +
  "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is " +
  "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const CONFIG_KEY_TEXT = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or " +
  "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

/** A 422 cause `Invalid value: <value>: <why>`. */
export function invalidValue(field: string, value: JsonValue | undefined, why: string): StatusCause {
  return { reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(value ?? null)}: ${why}`, field };
}

/** The problems of a qualified name (`[prefix/]name`), as the real apiserver words them; empty when valid. */
export function qualifiedNameProblems(key: string): string[] {
  const parts = key.split("/");
  let name = key;
  const out: string[] = [];
  if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    name = rest;
    if (prefix.length === 0) out.push("prefix part must be non-empty");
    else {
      if (prefix.length > 253) out.push("prefix part must be no more than 253 characters");
      if (!SUBDOMAIN.test(prefix)) out.push(`prefix part ${SUBDOMAIN_TEXT}`);
    }
  } else if (parts.length > 2) {
    return [`a qualified name ${QUALIFIED_TEXT} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) out.push("name part must be non-empty");
  else if (name.length > 63) out.push("name part must be no more than 63 characters");
  if (name.length > 0 && !QUALIFIED_NAME.test(name)) out.push(`name part ${QUALIFIED_TEXT}`);
  return out;
}

/** Checks `metadata.labels` (keys and values) and `metadata.annotations` (keys, total size). */
export function validateLabelsAndAnnotations(meta: JsonObject, at = "metadata"): StatusCause[] {
  const causes: StatusCause[] = [];
  const labels = isPlainObject(meta.labels) ? meta.labels : {};
  for (const [key, value] of Object.entries(labels)) {
    for (const why of qualifiedNameProblems(key)) causes.push(invalidValue(`${at}.labels`, key, why));
    const v = typeof value === "string" ? value : "";
    if (v.length > 63) causes.push(invalidValue(`${at}.labels`, v, "must be no more than 63 characters"));
    if (!LABEL_VALUE.test(v)) causes.push(invalidValue(`${at}.labels`, v, LABEL_VALUE_TEXT));
  }
  const annotations = isPlainObject(meta.annotations) ? meta.annotations : {};
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    // Annotation keys are qualified names whose prefix must be lower case, like label keys.
    for (const why of qualifiedNameProblems(key.toLowerCase())) causes.push(invalidValue(`${at}.annotations`, key, why));
    size += Buffer.byteLength(key) + Buffer.byteLength(typeof value === "string" ? value : "");
  }
  if (size > ANNOTATIONS_MAX_BYTES) {
    causes.push({ reason: "FieldValueTooLong", field: `${at}.annotations`, message: `Too long: must have at most ${ANNOTATIONS_MAX_BYTES} bytes` });
  }
  return causes;
}

/** The problems of one ConfigMap or Secret data key; empty when valid. */
export function configKeyProblems(key: string): string[] {
  const out: string[] = [];
  if (key.length > 253) out.push("must be no more than 253 characters");
  if (!CONFIG_KEY.test(key)) out.push(CONFIG_KEY_TEXT);
  if (key === ".") out.push("must not be '.'");
  else if (key === "..") out.push("must not be '..'");
  else if (key.startsWith("..")) out.push("must not start with '..'");
  return out;
}

/** Checks the keys of `data` and `binaryData` (ConfigMap) or `data` (Secret), and that no key is in both. */
export function validateDataKeys(obj: JsonObject, fields: readonly string[]): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Map<string, string>();
  for (const field of fields) {
    const data = isPlainObject(obj[field]) ? obj[field] : {};
    for (const key of Object.keys(data)) {
      for (const why of configKeyProblems(key)) causes.push(invalidValue(`${field}[${key}]`, key, why));
      const other = seen.get(key);
      if (other !== undefined) causes.push(invalidValue(`${other}[${key}]`, key, `duplicate of key present in ${field}`));
      else seen.set(key, field);
    }
  }
  return causes;
}
