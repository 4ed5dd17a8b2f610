import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cloudSchema, configReference, edgeSchema } from "../../lib/config/index.ts";
import { ROOT } from "../support/process.ts";

function between(text: string, name: string): string {
  const m = new RegExp(`<!-- ${name}:begin -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(text);
  assert.ok(m, `README has the ${name} markers`);
  return m![1];
}

test("configReference() lists every key with type and default", () => {
  const t = configReference(edgeSchema);
  assert.match(t, /\| `eventBus\.mode` \| enum \| `internal` \| Which broker devices use \|/);
  assert.match(t, /\| `edgeHub\.heartbeat` \| duration \(1s\.\.10m\) \| `15s` \|/);
});

test("README's configuration reference is the one generated from the schemas", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const hint = "regenerate with: node --import tsx -e \"import('./lib/config/index.ts').then(c=>console.log(c.configReference(c.edgeSchema)))\"";
  assert.is(between(readme, "edge-config"), configReference(edgeSchema), hint);
  assert.is(between(readme, "cloud-config"), configReference(cloudSchema), hint.replace("edgeSchema", "cloudSchema"));
});

test.run();
