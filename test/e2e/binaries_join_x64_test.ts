import { test } from "uvu";
import * as assert from "uvu/assert";
import { VERSION } from "../../lib/version.ts";
import { joinEdgeBinary } from "./binaries_join_harness.ts";

test("edge_core-linux-x64 joins a cloud_core and its node turns Ready", async () => {
  const r = await joinEdgeBinary("x64", 40_000, { idleMs: 5_000 });
  console.log(`x64: build ${r.buildMs} ms, Ready ${r.readyMs} ms after start, idle RSS ${r.idleRssMb} MB`);
  assert.is(r.kubeletVersion, VERSION);
  assert.is(r.architecture, "amd64");
});

test.run();
