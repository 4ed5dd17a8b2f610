/**
 * A child process for the CA race test: prints "ready" once loaded, waits until the file `argv[3]` exists (the start signal shared by every
 * racer), then runs ensureCloudPki on the folder `argv[2]` and prints the SHA-256 of the CA certificate and of the
 * server certificate it ended with.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../../lib/log/index.ts";
import { ensureCloudPki } from "../../lib/pki/index.ts";

const [dir, go] = process.argv.slice(2);
process.stdout.write("ready\n");
const end = Date.now() + 60_000;
while (!existsSync(go)) {
  if (Date.now() > end) throw new Error(`start signal "${go}" never came`);
  await new Promise((r) => setTimeout(r, 2));
}
const pki = await ensureCloudPki(
  { ca: join(dir, "ca.crt"), caKey: join(dir, "ca.key"), cert: join(dir, "server.crt"), key: join(dir, "server.key") },
  { log: silentLogger },
);
const sha = (s: string) => createHash("sha256").update(s).digest("hex");
process.stdout.write(JSON.stringify({ ca: sha(pki.caCert), server: sha(pki.serverCert) }) + "\n");
