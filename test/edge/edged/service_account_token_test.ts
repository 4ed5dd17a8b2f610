import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareVolumes, referencedObjects } from "../../../lib/edge/edged/pod_volumes.ts";
import type { Pod } from "../../../lib/edge/edged/index.ts";
import { objectSource } from "./_objects.ts";

const facts = { podIP: "10.0.0.9", hostIP: "192.0.2.1", nodeName: "edge-1" };
const later = new Date(Date.now() + 3_600_000).toISOString();
const earlier = new Date(Date.now() - 60_000).toISOString();

/** A pod with the volume the ServiceAccount admission adds. */
const pod: Pod = {
  metadata: { name: "p", namespace: "ns", uid: "uid-1" },
  spec: {
    containers: [],
    volumes: [{
      name: "kube-api-access-abcde",
      projected: {
        defaultMode: 0o644,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
          { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
          { downwardAPI: { items: [{ path: "namespace", fieldRef: { fieldPath: "metadata.namespace" } }] } },
        ],
      },
    }],
  },
};
const rootCa = { "ns/configmap/kube-root-ca.crt": { metadata: { name: "kube-root-ca.crt" }, data: { "ca.crt": "CA" } } };
const tokens = (entries: object[], uid = "uid-1") => ({
  "ns/serviceaccounttoken/p": { apiVersion: "v1", kind: "PodServiceAccountTokens", metadata: { name: "p", namespace: "ns", uid, resourceVersion: "1" }, serviceAccountName: "default", tokens: entries },
});

const roots: string[] = [];
test.after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

async function prepare(objects: Record<string, unknown>): Promise<{ dir: string; warnings: string[] }> {
  const root = mkdtempSync(join(tmpdir(), "sa-vols-"));
  roots.push(root);
  const src = await objectSource(objects);
  const warnings: string[] = [];
  try {
    const v = await prepareVolumes(pod, root, { objects: src.objects, facts }, (_, m) => warnings.push(m));
    return { dir: v.get("kube-api-access-abcde")!.hostPath, warnings };
  } finally {
    await src.close();
  }
}

test("prepareVolumes() writes the token the cloud sent, with ca.crt and namespace", async () => {
  const { dir, warnings } = await prepare({ ...rootCa, ...tokens([{ expirationSeconds: 3607, token: "a.b.c", expirationTimestamp: later }]) });
  assert.is(readFileSync(join(dir, "token"), "utf8"), "a.b.c");
  assert.is(readFileSync(join(dir, "ca.crt"), "utf8"), "CA");
  assert.is(readFileSync(join(dir, "namespace"), "utf8"), "ns");
  assert.equal(warnings, []);
});

test("prepareVolumes() leaves the token out and says why when the cloud could not get one, or sent none", async () => {
  const failed = await prepare({ ...rootCa, ...tokens([{ expirationSeconds: 3607, error: `serviceaccounts "x" not found` }]) });
  assert.not.ok(existsSync(join(failed.dir, "token")));
  assert.ok(existsSync(join(failed.dir, "ca.crt")));
  assert.equal(failed.warnings, [`MountVolume.SetUp failed for volume "kube-api-access-abcde" : failed to fetch token: serviceaccounts "x" not found`]);
  const none = await prepare(rootCa);
  assert.not.ok(existsSync(join(none.dir, "token")));
  assert.match(none.warnings[0]!, /failed to fetch token: no token received from the cloud/);
  const older = await prepare({ ...rootCa, ...tokens([{ expirationSeconds: 3607, token: "old", expirationTimestamp: later }], "uid-0") });
  assert.not.ok(existsSync(join(older.dir, "token")), "a token of an earlier pod of the same name is not used");
});

test("prepareVolumes() keeps a token past its reported expiry and warns that it was not renewed", async () => {
  const { dir, warnings } = await prepare({ ...rootCa, ...tokens([{ expirationSeconds: 3607, token: "a.b.c", expirationTimestamp: earlier }]) });
  assert.is(readFileSync(join(dir, "token"), "utf8"), "a.b.c");
  assert.match(warnings[0]!, /the token expired at .* and the cloud has not renewed it/);
});

test("referencedObjects() names the pod's tokens, so a renewal wakes the pod", () => {
  assert.ok(referencedObjects(pod).has("serviceaccounttoken/p"));
  assert.ok(referencedObjects(pod).has("configmap/kube-root-ca.crt"));
});

test.run();
