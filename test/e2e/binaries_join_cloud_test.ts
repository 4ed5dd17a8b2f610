import { test } from "uvu";
import * as assert from "uvu/assert";
import { VERSION } from "../../lib/version.ts";
import { joinEdgeBinary } from "./binaries_join_harness.ts";

test("edge_core-linux-x64 joins cloud_core-linux-x64 (both compiled) and its node turns Ready", async () => {
  const r = await joinEdgeBinary("x64", 30_000, { cloud: "binary" });
  console.log(`x64 binaries: build ${r.buildMs} ms, Ready ${r.readyMs} ms after start`);
  assert.is(r.kubeletVersion, VERSION);
});

test.run();
