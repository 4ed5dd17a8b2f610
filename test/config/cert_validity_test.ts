import { test } from "uvu";
import * as assert from "uvu/assert";
import { certValidity, cloudSchema, ConfigFileError, parseConfig, resolveCloudConfig } from "../../lib/config/index.ts";

const HOUR = 3_600_000;
const load = (yaml: string) => resolveCloudConfig(parseConfig(yaml, cloudSchema, "cloud.yaml"));

test("certValidity() gives a year for node and server certificates by default", () => {
  assert.equal(certValidity(load("")), { nodeMs: 8760 * HOUR, serverMs: 8760 * HOUR });
});

test("certValidity() follows cloudHub.nodeCertValidity and serverCertValidity", () => {
  assert.equal(certValidity(load("cloudHub:\n  nodeCertValidity: 720h\n  serverCertValidity: 1m\n")), { nodeMs: 720 * HOUR, serverMs: 60_000 });
});

test("certificate lifetimes under a minute or over ten years are refused naming the key", () => {
  for (const [key, value] of [["nodeCertValidity", "30s"], ["serverCertValidity", "87601h"], ["nodeCertValidity", "0"]]) {
    try {
      load(`cloudHub:\n  ${key}: "${value}"\n`);
      assert.unreachable(`${key}: ${value} accepted`);
    } catch (err) {
      assert.instance(err, ConfigFileError);
      assert.match((err as Error).message, `cloudHub.${key}: expected a duration from 1m to 87600h`);
    }
  }
});

test.run();
