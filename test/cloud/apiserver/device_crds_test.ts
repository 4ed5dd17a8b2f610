import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEVICE_CRD_MANIFESTS } from "../../../lib/cloud/apiserver/device_crds.ts";
import { ROOT } from "../../support/process.ts";

test("DEVICE_CRD_MANIFESTS holds exactly the manifests of conf/crds", () => {
  const dir = join(ROOT, "conf/crds");
  const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();
  assert.equal(Object.keys(DEVICE_CRD_MANIFESTS).sort(), files);
  for (const f of files) assert.is(DEVICE_CRD_MANIFESTS[f], readFileSync(join(dir, f), "utf8"), `${f} differs from lib/cloud/apiserver/device_crds.ts`);
});

test.run();
