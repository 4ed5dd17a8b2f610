/**
 * The 32-bit ARM joins: edge_core-linux-armv7 and -armv6 under qemu-arm join a cloud_core and their nodes turn
 * Ready. About 15 s each with a warm build cache (qemu); a fresh machine first downloads the armv7 Node and the
 * Debian armel packages (cached in ~/.cache/kubeedge-ts-build). Where the package mirror serves no armel packages,
 * armv6 is skipped with build.ts's reason.
 *
 * @module
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TargetUnavailableError } from "../../cross/unavailable.ts";
import { VERSION } from "../../lib/version.ts";
import { skip } from "../support/skip.ts";
import { joinEdgeBinary } from "./binaries_join_harness.ts";

for (const arch of ["armv7", "armv6"] as const) {
  test(`edge_core-linux-${arch} under qemu-arm joins a cloud_core and its node turns Ready`, async () => {
    let r;
    try {
      // qemu-arm runs Node about 10x slower than the host: on a loaded machine the start alone took 2 minutes
      r = await joinEdgeBinary(arch, 150_000);
    } catch (e) {
      // only "the runtime cannot be downloaded here" skips; any other build or join error fails the test
      if (!(e instanceof TargetUnavailableError)) throw e;
      skip(`edge_core-linux-${arch}: ${e.message}`);
      return;
    }
    console.log(`${arch}: build ${r.buildMs} ms, Ready ${r.readyMs} ms after start (qemu)`);
    assert.is(r.kubeletVersion, VERSION);
    assert.is(r.architecture, "arm");
  });
}

test.run();
