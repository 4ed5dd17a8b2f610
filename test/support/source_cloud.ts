/**
 * cloud_core from source (tsx) with the embedded API on free loopback ports, its data and config in a test's folder:
 * what the tests of the token flow start from, before `cloud_core token create` and `edge_core join`.
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KubectlEnv } from "./kubectl.ts";
import { type Background, freePort, ROOT, startBackground, tsArgs } from "./process.ts";

/** A running cloud_core and what a test needs to reach it. */
export type SourceCloud = { proc: Background; hubPort: number; config: string; env: KubectlEnv };

/**
 * Writes `<dir>/cloud.yaml` (dataDir `<dir>/cloud`, metrics off; `hubYaml` adds cloudHub keys, e.g.
 * `nodeCertValidity: 1m`), starts cloud_core with it and waits for its "cloud_core started" line. The caller stops
 * `proc`.
 */
export async function startSourceCloud(dir: string, hubYaml = ""): Promise<SourceCloud> {
  const hubPort = await freePort();
  const config = join(dir, "cloud.yaml");
  writeFileSync(config, [
    `dataDir: ${join(dir, "cloud")}`,
    `cloudHub: {address: "127.0.0.1:${hubPort}"${hubYaml ? `, ${hubYaml}` : ""}}`,
    `apiserver: {address: "127.0.0.1:${await freePort()}"}`,
    "metrics: {enable: false}",
    "",
  ].join("\n"));
  const proc = startBackground(...tsArgs(join(ROOT, "cmd/cloud_core.ts"), "--config", config));
  try {
    await proc.waitFor(/cloud_core started/, 60_000);
  } catch (e) {
    await proc.kill("SIGKILL");
    throw e;
  }
  return { proc, hubPort, config, env: { kubeconfig: join(dir, "cloud/kubeconfig"), home: join(dir, "home") } };
}
