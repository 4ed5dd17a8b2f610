/**
 * A target whose runtime the package mirror does not serve is *unavailable*, not *failed*: APT's 404s for the
 * target architecture's .debs are told apart from every other APT error, and build.ts's summary line carries the
 * reason the armv6 join test skips with.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DebianPackagesNotServedError, notServedPackages } from "../../cross/debian_root.ts";
import { unavailableReason, UNAVAILABLE_MARK } from "../../cross/unavailable.ts";

// What apt-get install --download-only printed on stderr here for trixie armel nodejs (shortened).
const ARMEL_404 = [
  "E: Failed to fetch http://mirror.example/debian/pool/main/g/glibc/libc6_2.41-12%2bdeb13u5_armel.deb  404  Not Found [IP: 203.0.113.80 80]",
  "E: Failed to fetch http://mirror.example/debian/pool/main/z/zlib/zlib1g_1.3.dfsg%2breally1.3.1-1%2bdeb13u1_armel.deb  404  Not Found [IP: 203.0.113.80 80]",
  "E: Failed to fetch http://mirror.example/debian/pool/main/n/nodejs/nodejs_20.19.2%2bdfsg-1%2bdeb13u3_armel.deb  404  Not Found [IP: 203.0.113.80 80]",
  "E: Failed to fetch http://mirror.example/debian/pool/main/n/nodejs/libnode115_20.19.2%2bdfsg-1%2bdeb13u3_armel.deb  404  Not Found [IP: 203.0.113.80 80]",
  "E: Some files failed to download",
  "",
].join("\n");

test("404s for every failed armel .deb mean the packages are not served, and name them", () => {
  assert.equal(notServedPackages(ARMEL_404, "armel"), ["libc6", "zlib1g", "nodejs", "libnode115"]);
  assert.equal(notServedPackages(`W: Some index files failed to download. They have been ignored\n${ARMEL_404}E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?\n`, "armel"), [
    "libc6",
    "zlib1g",
    "nodejs",
    "libnode115",
  ]);
});

test("any other APT error is a real failure, not an unavailable runtime", () => {
  const other = {
    "a package that does not exist": "E: Unable to locate package nodejs\n",
    "a network error": "E: Failed to fetch http://mirror.example/debian/pool/main/n/nodejs/nodejs_20.19.2_armel.deb  Could not resolve 'deb.debian.org'\nE: Some files failed to download\n",
    "a 404 beside another error": `${ARMEL_404}E: Sub-process /usr/bin/dpkg returned an error code (1)\n`,
    "a 404 for another architecture": "E: Failed to fetch http://mirror.example/debian/pool/main/g/glibc/libc6_2.41-12_armhf.deb  404  Not Found\n",
    "a 404 for an architecture-independent file": "E: Failed to fetch http://mirror.example/debian/pool/main/n/node-undici/node-undici_7.3.0_all.deb  404  Not Found\n",
    "a server error": "E: Failed to fetch http://mirror.example/debian/pool/main/n/nodejs/nodejs_20.19.2_armel.deb  500  Internal Server Error\n",
    "a hash mismatch": "E: Failed to fetch http://mirror.example/debian/pool/main/n/nodejs/nodejs_20.19.2_armel.deb  Hash Sum mismatch\n",
    "no error line at all": "Killed\n",
  };
  for (const [what, stderr] of Object.entries(other)) assert.is(notServedPackages(stderr, "armel"), undefined, what);
});

test("the not-served error says which mirror, release, architecture and packages in one line", () => {
  const e = new DebianPackagesNotServedError({ release: "trixie", arch: "armel", packages: ["nodejs"] }, "http://m/debian", ["libc6", "zlib1g", "nodejs", "libnode115"]);
  assert.is(e.message, "http://m/debian does not serve Debian trixie armel packages (HTTP 404 for libc6, zlib1g, nodejs and 1 more)");
  assert.not.match(e.message, /\n/);
});

test("build.ts's summary line gives back the reason of an unavailable target, and nothing for the others", () => {
  const summary = [
    "target                              size    build --version  result",
    "edge_core-linux-x64              98.1 MB    12.0 s         -  ok",
    "edge_core-linux-armv7                  -     3.0 s         -  FAILED: Cannot run \"postject\": exit code 1",
    `edge_core-linux-armv6                  -     9.1 s         -  ${UNAVAILABLE_MARK} armv6 runtime cannot be downloaded: m does not serve Debian trixie armel packages`,
    "",
  ].join("\n");
  assert.is(unavailableReason(summary, "edge_core-linux-armv6"), "armv6 runtime cannot be downloaded: m does not serve Debian trixie armel packages");
  assert.is(unavailableReason(summary, "edge_core-linux-armv7"), undefined);
  assert.is(unavailableReason(summary, "edge_core-linux-x64"), undefined);
  assert.is(unavailableReason(summary, "cloud_core-linux-armv6"), undefined);
});

test.run();
