/**
 * The 32-bit ARM joins: edge_core-linux-armv7 and -armv6 under qemu-arm join a cloud_core and their nodes turn
 * Ready. About 15 s each with a warm build cache (qemu); a fresh machine first downloads the armv7 Node and the
 * Debian armel packages (cached in ~/.cache/kubeedge-ts-build).
 *
 * @module
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { VERSION } from "../../lib/version.ts";
import { joinEdgeBinary } from "./binaries_join_harness.ts";

for (const arch of ["armv7", "armv6"] as const) {
  test(`edge_core-linux-${arch} under qemu-arm joins a cloud_core and its node turns Ready`, async () => {
    const r = await joinEdgeBinary(arch, 120_000);
    console.log(`${arch}: build ${r.buildMs} ms, Ready ${r.readyMs} ms after start (qemu)`);
    assert.is(r.kubeletVersion, VERSION);
    assert.is(r.architecture, "arm");
  });
}

test.run();
