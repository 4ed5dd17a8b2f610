import type { V1Node, V1Pod } from "@kubernetes/client-node";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { matchesNodeSelection, requirementMatches } from "../../../lib/cloud/controllers/_node_affinity.ts";

const node: V1Node = { metadata: { name: "n1", labels: { zone: "a", cores: "8", gpu: "yes" } } };
const withTerms = (...nodeSelectorTerms: object[]): V1Pod =>
  ({ spec: { containers: [], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } } } }) as V1Pod;

test("requirementMatches() implements the six operators", () => {
  assert.ok(requirementMatches({ key: "k", operator: "In", values: ["a", "b"] }, "a"));
  assert.not.ok(requirementMatches({ key: "k", operator: "In", values: ["a"] }, undefined));
  assert.ok(requirementMatches({ key: "k", operator: "NotIn", values: ["a"] }, undefined));
  assert.not.ok(requirementMatches({ key: "k", operator: "NotIn", values: ["a"] }, "a"));
  assert.ok(requirementMatches({ key: "k", operator: "Exists" }, ""));
  assert.ok(requirementMatches({ key: "k", operator: "DoesNotExist" }, undefined));
  assert.ok(requirementMatches({ key: "k", operator: "Gt", values: ["4"] }, "8"));
  assert.not.ok(requirementMatches({ key: "k", operator: "Gt", values: ["8"] }, "8"));
  assert.ok(requirementMatches({ key: "k", operator: "Lt", values: ["10"] }, "8"));
  assert.not.ok(requirementMatches({ key: "k", operator: "Lt", values: ["x"] }, "8"));
  assert.not.ok(requirementMatches({ key: "k", operator: "Gt", values: ["1"] }, "eight"));
});

test("matchesNodeSelection() needs every nodeSelector label", () => {
  assert.ok(matchesNodeSelection({ spec: { containers: [], nodeSelector: { zone: "a" } } }, node));
  assert.not.ok(matchesNodeSelection({ spec: { containers: [], nodeSelector: { zone: "a", disk: "ssd" } } }, node));
  assert.ok(matchesNodeSelection({ spec: { containers: [] } }, node));
});

test("matchesNodeSelection() ORs terms and ANDs requirements inside a term", () => {
  assert.ok(matchesNodeSelection(withTerms(
    { matchExpressions: [{ key: "zone", operator: "In", values: ["b"] }] },
    { matchExpressions: [{ key: "gpu", operator: "Exists" }, { key: "cores", operator: "Gt", values: ["4"] }] },
  ), node));
  assert.not.ok(matchesNodeSelection(withTerms({ matchExpressions: [{ key: "gpu", operator: "Exists" }, { key: "cores", operator: "Lt", values: ["4"] }] }), node));
});

test("matchesNodeSelection() reads matchFields metadata.name and rejects empty terms", () => {
  assert.ok(matchesNodeSelection(withTerms({ matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }), node));
  assert.not.ok(matchesNodeSelection(withTerms({ matchFields: [{ key: "metadata.name", operator: "NotIn", values: ["n1"] }] }), node));
  assert.not.ok(matchesNodeSelection(withTerms({}), node));
  assert.not.ok(matchesNodeSelection(withTerms(), node));
});

test.run();
