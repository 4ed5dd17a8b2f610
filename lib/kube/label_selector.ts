/**
 * Label selectors: the `labelSelector` query string (`app=web,tier notin (x),!canary`) and the structured
 * `metav1.LabelSelector` of Deployment, ReplicaSet and Service-like specs, both turned into one matcher.
 *
 * Syntax: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a)`, `k`, `!k`, comma = AND.
 *
 * @module
 */

/** How a requirement compares a label. `==` parses to `Equals`. */
export type LabelOperator = "Equals" | "NotEquals" | "In" | "NotIn" | "Exists" | "DoesNotExist";

/** One condition on one label key. `values` is empty for `Exists` and `DoesNotExist`. */
export type LabelRequirement = { readonly key: string; readonly operator: LabelOperator; readonly values: readonly string[] };

/**
 * A parsed selector: all requirements must hold. No requirements selects everything; `matchNothing` (from a missing
 * structured selector) selects nothing.
 */
export type LabelSelector = { readonly requirements: readonly LabelRequirement[]; readonly matchNothing?: boolean };

/** The structured form used in workload specs (`spec.selector`). */
export type LabelSelectorObject = {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] | null }[] | null;
};

const NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_MAX = 63;
const PREFIX_MAX = 253;

/** Why a label key is invalid, or undefined when it is valid (an optional DNS-subdomain prefix and a `/`). */
function keyProblem(key: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > PREFIX_MAX || !DNS_SUBDOMAIN_RE.test(prefix))) {
    return `invalid label key "${key}": the prefix must be a lowercase DNS subdomain of at most ${PREFIX_MAX} characters`;
  }
  if (name.length > NAME_MAX || !NAME_RE.test(name)) {
    return `invalid label key "${key}": the name must be 1-${NAME_MAX} alphanumerics, '-', '_' or '.', starting and ending alphanumeric`;
  }
  return undefined;
}

function valueProblem(value: string): string | undefined {
  if (value === "" || (value.length <= NAME_MAX && NAME_RE.test(value))) return undefined;
  return `invalid label value "${value}": it must be empty or 1-${NAME_MAX} alphanumerics, '-', '_' or '.', starting and ending alphanumeric`;
}

type Token = { kind: "ident" | "!" | "=" | "==" | "!=" | "(" | ")" | ","; text: string; pos: number };

const SPECIAL = new Set(["!", "=", "(", ")", ","]);

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "!" || c === "=") {
      const two = input.slice(i, i + 2);
      if (two === "!=" || two === "==") {
        tokens.push({ kind: two, text: two, pos: i });
        i += 2;
      } else {
        tokens.push({ kind: c, text: c, pos: i });
        i++;
      }
    } else if (c === "(" || c === ")" || c === ",") {
      tokens.push({ kind: c, text: c, pos: i });
      i++;
    } else {
      const start = i;
      while (i < input.length && !SPECIAL.has(input[i]!) && !/\s/.test(input[i]!)) i++;
      tokens.push({ kind: "ident", text: input.slice(start, i), pos: start });
    }
  }
  return tokens;
}

/**
 * Parses the label selector query syntax. Whitespace around tokens is ignored; the empty string selects everything.
 *
 * @param input the `labelSelector` query parameter, already URL-decoded
 * @returns the selector
 * @throws SyntaxError naming the offending part and its position, for bad syntax, keys or values
 * @example Parse and match
 * ```ts
 * const sel = parseLabelSelector("app=web,tier notin (x)");
 * matchesLabels(sel, { app: "web" }); // true
 * ```
 */
export function parseLabelSelector(input: string): LabelSelector {
  const fail = (detail: string, pos: number): never => {
    throw new SyntaxError(`Cannot parse label selector "${input}" at position ${pos}: ${detail}`);
  };
  const tokens = lex(input);
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const endPos = input.length;
  const requireIdent = (what: string): Token => {
    const t = tokens[at];
    if (t?.kind !== "ident") return fail(`expected ${what}, found ${t ? `"${t.text}"` : "the end"}`, t?.pos ?? endPos);
    at++;
    return t;
  };
  const checked = (problem: string | undefined, pos: number): void => {
    if (problem) fail(problem, pos);
  };
  const requirements: LabelRequirement[] = [];
  while (at < tokens.length) {
    let requirement: LabelRequirement;
    if (peek()!.kind === "!") {
      at++;
      const key = requireIdent("a label key after \"!\"");
      checked(keyProblem(key.text), key.pos);
      requirement = { key: key.text, operator: "DoesNotExist", values: [] };
    } else {
      const key = requireIdent("a label key");
      checked(keyProblem(key.text), key.pos);
      requirement = parseOperation(key.text);
    }
    requirements.push(requirement);
    const sep = peek();
    if (sep === undefined) break;
    if (sep.kind !== ",") fail(`expected "," between requirements, found "${sep.text}"`, sep.pos);
    at++;
    if (at === tokens.length) fail("expected a requirement after the trailing \",\"", sep.pos);
  }
  return { requirements };

  function parseOperation(key: string): LabelRequirement {
    const op = peek();
    if (op === undefined || op.kind === ",") return { key, operator: "Exists", values: [] };
    if (op.kind === "=" || op.kind === "==" || op.kind === "!=") {
      at++;
      const next = peek();
      let value = "";
      if (next?.kind === "ident") {
        value = next.text;
        checked(valueProblem(value), next.pos);
        at++;
      } else if (next !== undefined && next.kind !== ",") {
        fail(`expected a value after "${op.text}", found "${next.text}"`, next.pos);
      }
      return { key, operator: op.kind === "!=" ? "NotEquals" : "Equals", values: [value] };
    }
    if (op.kind === "ident" && (op.text === "in" || op.text === "notin")) {
      at++;
      const open = peek();
      if (open?.kind !== "(") fail(`expected "(" after "${op.text}"`, open?.pos ?? endPos);
      at++;
      const values = parseValueList(op.text, open!.pos);
      return { key, operator: op.text === "in" ? "In" : "NotIn", values };
    }
    return fail(`expected "=", "==", "!=", "in" or "notin" after "${key}", found "${op.text}"`, op.pos);
  }

  function parseValueList(opText: string, openPos: number): string[] {
    const values: string[] = [];
    let expectValue = true;
    for (;;) {
      const t = peek();
      if (t === undefined) return fail(`expected ")" to close the "(" of "${opText}"`, openPos);
      if (expectValue) {
        expectValue = false;
        if (t.kind === "ident") {
          checked(valueProblem(t.text), t.pos);
          values.push(t.text);
          at++;
          continue;
        }
        if (t.kind === ")" && values.length === 0) fail(`expected at least one value for "${opText}"`, t.pos);
        if (t.kind !== "," && t.kind !== ")") fail(`expected a value or ")", found "${t.text}"`, t.pos);
        // Nothing between separators is the empty value, a legal label value.
        values.push("");
        continue;
      }
      at++;
      if (t.kind === ")") return values;
      if (t.kind !== ",") fail(`expected "," or ")" between values, found "${t.text}"`, t.pos);
      expectValue = true;
    }
  }
}

/**
 * Turns a structured `spec.selector` into a matcher, checking keys, values and operators.
 *
 * @param obj `{ matchLabels, matchExpressions }`; null or undefined selects nothing (as the API treats a missing selector)
 * @returns the selector; `{}` selects everything
 * @throws TypeError for an unknown operator, a wrong number of values, or an invalid key or value
 */
export function labelSelectorFromObject(obj: LabelSelectorObject | null | undefined): LabelSelector {
  if (obj === null || obj === undefined) return { requirements: [], matchNothing: true };
  const requirements: LabelRequirement[] = [];
  const check = (problem: string | undefined): void => {
    if (problem) throw new TypeError(`Cannot use label selector: ${problem}`);
  };
  for (const [key, value] of Object.entries(obj.matchLabels ?? {})) {
    check(keyProblem(key));
    check(valueProblem(value));
    requirements.push({ key, operator: "Equals", values: [value] });
  }
  for (const expr of obj.matchExpressions ?? []) {
    check(keyProblem(expr.key));
    const values = [...(expr.values ?? [])];
    values.forEach((v) => check(valueProblem(v)));
    if (expr.operator === "In" || expr.operator === "NotIn") {
      if (values.length === 0) check(`operator "${expr.operator}" of key "${expr.key}" needs at least one value`);
    } else if (expr.operator === "Exists" || expr.operator === "DoesNotExist") {
      if (values.length > 0) check(`operator "${expr.operator}" of key "${expr.key}" takes no values`);
    } else {
      check(`unknown operator "${expr.operator}" of key "${expr.key}"; expected In, NotIn, Exists or DoesNotExist`);
    }
    requirements.push({ key: expr.key, operator: expr.operator as LabelOperator, values });
  }
  return { requirements: sortByKey(requirements) };
}

function sortByKey(requirements: readonly LabelRequirement[]): LabelRequirement[] {
  return [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function requirementMatches(req: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, req.key);
  switch (req.operator) {
    case "Equals":
    case "In":
      return has && req.values.includes(labels[req.key]!);
    case "NotEquals":
    case "NotIn":
      // A missing label is "not equal" to every value, as the API server decides.
      return !has || !req.values.includes(labels[req.key]!);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
  }
}

/**
 * Tells whether a set of labels satisfies a selector.
 *
 * @param selector from {@link parseLabelSelector} or {@link labelSelectorFromObject}
 * @param labels an object's `metadata.labels`; missing means no labels
 * @returns true when every requirement holds
 */
export function matchesLabels(selector: LabelSelector, labels: Readonly<Record<string, string>> | null | undefined): boolean {
  if (selector.matchNothing) return false;
  return selector.requirements.every((req) => requirementMatches(req, labels ?? {}));
}

/**
 * Prints a selector in the query syntax, in canonical order (requirements by key, `in`/`notin` values sorted), as
 * `status.selector` of a Scale and `kubectl describe` show it. A selector that matches nothing prints as "".
 *
 * @param selector the selector
 * @returns text that {@link parseLabelSelector} reads back to an equivalent selector
 */
export function selectorToString(selector: LabelSelector): string {
  if (selector.matchNothing) return "";
  return sortByKey(selector.requirements)
    .map(({ key, operator, values }) => {
      switch (operator) {
        case "Equals":
          return `${key}=${values[0] ?? ""}`;
        case "NotEquals":
          return `${key}!=${values[0] ?? ""}`;
        case "In":
          return `${key} in (${[...values].sort().join(",")})`;
        case "NotIn":
          return `${key} notin (${[...values].sort().join(",")})`;
        case "Exists":
          return key;
        case "DoesNotExist":
          return `!${key}`;
      }
    })
    .join(",");
}
