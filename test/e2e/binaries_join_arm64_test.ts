import { test } from "uvu";
import * as assert from "uvu/assert";
import { VERSION } from "../../lib/version.ts";
import { joinEdgeBinary } from "./binaries_join_harness.ts";

test("edge_core-linux-arm64 under qemu-user joins a cloud_core and its node turns Ready", async () => {
  const r = await joinEdgeBinary("arm64", 120_000);
  console.log(`arm64: build ${r.buildMs} ms, Ready ${r.readyMs} ms after start (qemu)`);
  assert.is(r.kubeletVersion, VERSION);
  assert.is(r.architecture, "arm64");
});

test.run();
