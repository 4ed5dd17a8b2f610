/**
 * Renders a config schema as a Markdown table (key, type, default, meaning) for the README's configuration
 * reference. A test compares the README with this output, so the docs cannot drift from the code.
 *
 * @module
 */
import type { Field } from "./schema.ts";

type AnyField = Field<unknown> & { fields?: Record<string, AnyField> };

function rows(f: AnyField, path: string, out: string[]): void {
  if (f.fields) {
    for (const [k, child] of Object.entries(f.fields)) rows(child, path ? `${path}.${k}` : k, out);
    return;
  }
  const def = f.defaultText === undefined ? "" : `\`${f.defaultText}\``;
  const type = f.range ? `${f.kind} (${f.range})` : f.kind;
  out.push(`| \`${path}\` | ${type} | ${def} | ${f.doc.replace(/\|/g, "\\|")} |`);
}

/** A Markdown table of every leaf key of a schema. */
export function configReference(schema: Field<unknown>): string {
  const out = ["| key | type | default | meaning |", "| --- | --- | --- | --- |"];
  rows(schema as AnyField, "", out);
  return out.join("\n");
}
