import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  labelSelectorFromObject,
  matchesLabels,
  parseLabelSelector,
  selectorToString,
  type LabelRequirement,
} from "../../lib/kube/label_selector.ts";

const PARSES: [string, LabelRequirement[]][] = [
  ["", []],
  ["   ", []],
  ["app=web", [{ key: "app", operator: "Equals", values: ["web"] }]],
  ["app==web", [{ key: "app", operator: "Equals", values: ["web"] }]],
  ["app!=web", [{ key: "app", operator: "NotEquals", values: ["web"] }]],
  ["app=", [{ key: "app", operator: "Equals", values: [""] }]],
  ["app", [{ key: "app", operator: "Exists", values: [] }]],
  ["!app", [{ key: "app", operator: "DoesNotExist", values: [] }]],
  ["tier in (a,b)", [{ key: "tier", operator: "In", values: ["a", "b"] }]],
  ["tier notin (x)", [{ key: "tier", operator: "NotIn", values: ["x"] }]],
  ["tier in(a)", [{ key: "tier", operator: "In", values: ["a"] }]],
  ["tier in (a,)", [{ key: "tier", operator: "In", values: ["a", ""] }]],
  [
    "  app = web ,  tier notin ( x , y ) , ! canary ,  env  ",
    [
      { key: "app", operator: "Equals", values: ["web"] },
      { key: "tier", operator: "NotIn", values: ["x", "y"] },
      { key: "canary", operator: "DoesNotExist", values: [] },
      { key: "env", operator: "Exists", values: [] },
    ],
  ],
  ["app=web,tier notin (x)", [
    { key: "app", operator: "Equals", values: ["web"] },
    { key: "tier", operator: "NotIn", values: ["x"] },
  ]],
  ["app.kubernetes.io/name=nginx", [{ key: "app.kubernetes.io/name", operator: "Equals", values: ["nginx"] }]],
  ["a=b,a!=c", [
    { key: "a", operator: "Equals", values: ["b"] },
    { key: "a", operator: "NotEquals", values: ["c"] },
  ]],
];

for (const [input, requirements] of PARSES) {
  test(`parseLabelSelector() reads ${JSON.stringify(input)}`, () => {
    assert.equal(parseLabelSelector(input).requirements, requirements);
  });
}

const BAD: [string, RegExp][] = [
  ["app=web,", /trailing ","/],
  [",app", /expected a label key, found ","/],
  ["app web", /expected "=", "==", "!=", "in" or "notin" after "app", found "web"/],
  ["tier in a", /at position 8: expected "\(" after "in"/],
  ["tier in (a", /expected "\)" to close/],
  ["tier in ()", /at least one value for "in"/],
  ["tier notin (a b)", /expected "," or "\)" between values, found "b"/],
  ["app=web=x", /expected "," between requirements, found "="/],
  ["!", /expected a label key after "!", found the end/],
  ["app=(x)", /expected a value after "=", found "\("/],
  ["-bad=x", /invalid label key "-bad"/],
  ["Bad.Prefix/name=x", /invalid label key "Bad.Prefix\/name": the prefix/],
  [`${"k".repeat(64)}=x`, /invalid label key/],
  ["app=in valid", /expected "," between requirements, found "valid"/],
  ["app=-x", /invalid label value "-x"/],
  ["app in (a,-b)", /at position 10: invalid label value "-b"/],
];

for (const [input, message] of BAD) {
  test(`parseLabelSelector() throws SyntaxError naming the bad part of ${JSON.stringify(input)}`, () => {
    try {
      parseLabelSelector(input);
      assert.unreachable("should throw");
    } catch (err) {
      assert.instance(err, SyntaxError);
      assert.ok((err as Error).message.startsWith(`Cannot parse label selector "${input}" at position `));
      assert.match((err as Error).message, message);
    }
  });
}

const MATCHES: [string, Record<string, string> | undefined, boolean][] = [
  ["", {}, true],
  ["", undefined, true],
  ["app=web", { app: "web" }, true],
  ["app=web", { app: "db" }, false],
  ["app=web", {}, false],
  ["app!=web", { app: "db" }, true],
  ["app!=web", {}, true],
  ["app!=web", { app: "web" }, false],
  ["app=", { app: "" }, true],
  ["app=", {}, false],
  ["app", { app: "" }, true],
  ["app", { other: "x" }, false],
  ["!app", { other: "x" }, true],
  ["!app", { app: "x" }, false],
  ["tier in (a,b)", { tier: "b" }, true],
  ["tier in (a,b)", { tier: "c" }, false],
  ["tier in (a,b)", undefined, false],
  ["tier notin (x)", { tier: "y" }, true],
  ["tier notin (x)", {}, true],
  ["tier notin (x)", { tier: "x" }, false],
  ["app=web,tier notin (x)", { app: "web", tier: "y" }, true],
  ["app=web,tier notin (x)", { app: "web", tier: "x" }, false],
  ["app=web,!canary", { app: "web", canary: "1" }, false],
];

for (const [input, labels, expected] of MATCHES) {
  test(`matchesLabels() is ${expected} for ${JSON.stringify(input)} on ${JSON.stringify(labels)}`, () => {
    assert.is(matchesLabels(parseLabelSelector(input), labels), expected);
  });
}

test("labelSelectorFromObject() combines matchLabels and matchExpressions as AND", () => {
  const sel = labelSelectorFromObject({
    matchLabels: { app: "web" },
    matchExpressions: [
      { key: "tier", operator: "In", values: ["fe", "be"] },
      { key: "canary", operator: "DoesNotExist" },
      { key: "env", operator: "Exists", values: [] },
      { key: "zone", operator: "NotIn", values: ["z1"] },
    ],
  });
  assert.ok(matchesLabels(sel, { app: "web", tier: "fe", env: "prod" }));
  assert.not.ok(matchesLabels(sel, { app: "web", tier: "fe", env: "prod", canary: "1" }));
  assert.not.ok(matchesLabels(sel, { app: "web", tier: "fe" }));
  assert.not.ok(matchesLabels(sel, { app: "web", tier: "fe", env: "prod", zone: "z1" }));
  assert.not.ok(matchesLabels(sel, { app: "db", tier: "fe", env: "prod" }));
});

test("labelSelectorFromObject() matches everything for {} and nothing for a missing selector", () => {
  assert.ok(matchesLabels(labelSelectorFromObject({}), { any: "thing" }));
  assert.ok(matchesLabels(labelSelectorFromObject({ matchLabels: null, matchExpressions: null }), {}));
  assert.not.ok(matchesLabels(labelSelectorFromObject(undefined), {}));
  assert.not.ok(matchesLabels(labelSelectorFromObject(null), { app: "web" }));
});

const BAD_OBJECTS: [Parameters<typeof labelSelectorFromObject>[0], RegExp][] = [
  [{ matchExpressions: [{ key: "a", operator: "Equals", values: ["x"] }] }, /unknown operator "Equals" of key "a"/],
  [{ matchExpressions: [{ key: "a", operator: "In", values: [] }] }, /"In" of key "a" needs at least one value/],
  [{ matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] }, /"Exists" of key "a" takes no values/],
  [{ matchLabels: { "bad key": "x" } }, /invalid label key "bad key"/],
  [{ matchLabels: { a: "bad value" } }, /invalid label value "bad value"/],
];

for (const [obj, message] of BAD_OBJECTS) {
  test(`labelSelectorFromObject() throws TypeError matching ${message}`, () => {
    assert.throws(() => labelSelectorFromObject(obj), (err: Error) => err instanceof TypeError && message.test(err.message));
  });
}

const PRINTS: [string, string][] = [
  ["", ""],
  ["b=2,a==1", "a=1,b=2"],
  ["tier in (b,a),!canary,env,x!=y", "!canary,env,tier in (a,b),x!=y"],
  ["t notin (z,y)", "t notin (y,z)"],
  ["app=", "app="],
];

for (const [input, printed] of PRINTS) {
  test(`selectorToString() prints ${JSON.stringify(input)} canonically and reads back the same`, () => {
    const text = selectorToString(parseLabelSelector(input));
    assert.is(text, printed);
    assert.is(selectorToString(parseLabelSelector(text)), printed);
  });
}

test("selectorToString() prints a structured selector sorted by key, as the API shows it", () => {
  const sel = labelSelectorFromObject({
    matchLabels: { tier: "fe", app: "web" },
    matchExpressions: [{ key: "env", operator: "NotIn", values: ["qa", "dev"] }],
  });
  assert.is(selectorToString(sel), "app=web,env notin (dev,qa),tier=fe");
  assert.is(selectorToString(labelSelectorFromObject(undefined)), "");
});

test.run();
