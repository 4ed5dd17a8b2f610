/**
 * JSON patch (RFC 6902), the `application/json-patch+json` patch type of `kubectl patch --type=json`.
 *
 * @module
 */
import { KubeError } from "./kube_error.ts";
import { deepClone, deepEqual, isPlainObject } from "./objects.ts";
import type { JsonObject, JsonValue } from "./types.ts";

/** One operation of a JSON patch. `value` is for add, replace and test; `from` for move and copy. */
export type JsonPatchOperation = {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  value?: JsonValue;
  from?: string;
};

const OPS = new Set(["add", "remove", "replace", "move", "copy", "test"]);
const INDEX_RE = /^(0|[1-9][0-9]*)$/;

/**
 * Splits a JSON pointer (RFC 6901) into its reference tokens, undoing `~1` (`/`) and `~0` (`~`).
 *
 * @param pointer "" for the whole document, else a string starting with "/"
 * @returns the tokens
 * @throws SyntaxError when the pointer does not start with "/" or holds a `~` not followed by 0 or 1
 */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw new SyntaxError(`Cannot parse JSON pointer "${pointer}": it must start with "/"`);
  return pointer
    .slice(1)
    .split("/")
    .map((token) => {
      if (/~(?![01])/.test(token)) throw new SyntaxError(`Cannot parse JSON pointer "${pointer}": "~" must be followed by 0 or 1`);
      return token.replaceAll("~1", "/").replaceAll("~0", "~");
    });
}

function toPointer(tokens: readonly string[]): string {
  return tokens.map((t) => `/${t.replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

function validate(operations: JsonValue): JsonPatchOperation[] {
  const bad = (detail: string): never => {
    throw new KubeError("InvalidPatch", `Cannot apply JSON patch: ${detail}`);
  };
  if (!Array.isArray(operations)) return bad("the body must be a JSON array of operations");
  return operations.map((raw, i) => {
    if (!isPlainObject(raw)) return bad(`operation ${i} is not an object`);
    const { op, path, from } = raw;
    if (typeof op !== "string" || !OPS.has(op)) return bad(`operation ${i} has unknown op ${JSON.stringify(op ?? null)}`);
    if (typeof path !== "string") return bad(`operation ${i} (${op}) has no string "path"`);
    if ((op === "add" || op === "replace" || op === "test") && !Object.hasOwn(raw, "value")) {
      bad(`operation ${i} (${op} "${path}") has no "value"`);
    }
    if ((op === "move" || op === "copy") && typeof from !== "string") bad(`operation ${i} (${op} "${path}") has no string "from"`);
    return raw as JsonPatchOperation;
  });
}

/** The document under a one-slot holder, so the root has a parent like every other location. */
type Holder = { doc: JsonValue };

/**
 * Applies a JSON patch. Operations run in order on a copy; the first failure aborts the whole patch and the inputs
 * are not changed.
 *
 * @param doc the current document
 * @param operations the decoded request body, checked here
 * @returns the patched document
 * @throws KubeError `InvalidPatch` for a malformed body, `PatchFailed` naming the operation index and path when an
 *   operation cannot apply (missing path, bad array index, failed `test`)
 * @example Replace an image
 * ```ts
 * applyJsonPatch(pod, [{ op: "replace", path: "/spec/containers/0/image", value: "nginx:1.27" }]);
 * ```
 */
export function applyJsonPatch(doc: JsonValue, operations: JsonValue): JsonValue {
  const ops = validate(operations);
  const holder: Holder = { doc: deepClone(doc) };
  ops.forEach((operation, index) => {
    const where = (p: string): string => `Cannot apply JSON patch operation ${index} (${operation.op} "${p}")`;
    const pointer = (p: string): string[] => {
      try {
        return parseJsonPointer(p);
      } catch (err) {
        throw new KubeError("InvalidPatch", `${where(p)}: ${(err as Error).message}`, { cause: err });
      }
    };
    const failed = (p: string, detail: string): never => {
      throw new KubeError("PatchFailed", `${where(p)}: ${detail}`);
    };
    const path = pointer(operation.path);
    const access = new Access(holder, (detail) => failed(operation.path, detail));
    switch (operation.op) {
      case "add":
        access.add(path, deepClone(operation.value!));
        break;
      case "remove":
        access.remove(path);
        break;
      case "replace":
        access.remove(path);
        access.add(path, deepClone(operation.value!));
        break;
      case "move": {
        const from = pointer(operation.from!);
        if (path.length > from.length && from.every((t, i) => t === path[i])) {
          failed(operation.path, `cannot move "${operation.from}" into its own child`);
        }
        const value = new Access(holder, (detail) => failed(operation.from!, detail)).remove(from);
        access.add(path, value);
        break;
      }
      case "copy": {
        const value = new Access(holder, (detail) => failed(operation.from!, detail)).get(pointer(operation.from!));
        access.add(path, deepClone(value));
        break;
      }
      case "test":
        if (!deepEqual(access.get(path), operation.value!)) failed(operation.path, "the value differs from the test value");
        break;
    }
  });
  return holder.doc;
}

/** Reads and writes locations of a document, failing through `fail` with a reason. */
class Access {
  #holder: Holder;
  #fail: (detail: string) => never;

  constructor(holder: Holder, fail: (detail: string) => never) {
    this.#holder = holder;
    this.#fail = fail;
  }

  get(tokens: readonly string[]): JsonValue {
    if (tokens.length === 0) return this.#holder.doc;
    const parent = this.#parent(tokens);
    const key = tokens[tokens.length - 1]!;
    if (Array.isArray(parent)) return parent[this.#index(parent, key, false)]!;
    if (!Object.hasOwn(parent, key)) return this.#fail(`member "${key}" does not exist`);
    return parent[key]!;
  }

  add(tokens: readonly string[], value: JsonValue): void {
    if (tokens.length === 0) {
      this.#holder.doc = value;
      return;
    }
    const parent = this.#parent(tokens);
    const key = tokens[tokens.length - 1]!;
    if (Array.isArray(parent)) parent.splice(key === "-" ? parent.length : this.#index(parent, key, true), 0, value);
    else parent[key] = value;
  }

  remove(tokens: readonly string[]): JsonValue {
    const value = this.get(tokens);
    if (tokens.length === 0) return value;
    const parent = this.#parent(tokens);
    const key = tokens[tokens.length - 1]!;
    if (Array.isArray(parent)) parent.splice(this.#index(parent, key, false), 1);
    else delete parent[key];
    return value;
  }

  /** The container holding the last token, which must exist. */
  #parent(tokens: readonly string[]): JsonObject | JsonValue[] {
    let cur = this.#holder.doc;
    for (const [i, token] of tokens.slice(0, -1).entries()) {
      if (Array.isArray(cur)) cur = cur[this.#index(cur, token, false)]!;
      else if (isPlainObject(cur) && Object.hasOwn(cur, token)) cur = cur[token]!;
      else return this.#fail(`"${toPointer(tokens.slice(0, i + 1))}" does not exist`);
    }
    if (!Array.isArray(cur) && !isPlainObject(cur)) return this.#fail("the parent is neither an object nor an array");
    return cur;
  }

  #index(array: readonly JsonValue[], token: string, forInsert: boolean): number {
    if (!INDEX_RE.test(token)) return this.#fail(`"${token}" is not an array index`);
    const index = Number(token);
    if (index > array.length || (!forInsert && index === array.length)) {
      return this.#fail(`index ${index} is out of range for an array of ${array.length}`);
    }
    return index;
  }
}
