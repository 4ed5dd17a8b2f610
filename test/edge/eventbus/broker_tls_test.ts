import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import mqtt from "mqtt";
import { Bus } from "../../../lib/core/index.ts";
import { EventBus } from "../../../lib/edge/eventbus/index.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { ensureCloudPki, issueNodeCertificate } from "../../../lib/pki/index.ts";
import { Recorder } from "./_recorder.ts";

const dir = mkdtempSync(join(tmpdir(), "broker-tls-"));
const paths = (name: string) => ({ ca: join(dir, name, "ca.crt"), caKey: join(dir, name, "ca.key"), cert: join(dir, name, "server.crt"), key: join(dir, name, "server.key") });
// the broker's CA signs its certificate and the devices' certificates; a second CA plays a stranger's
const ours = paths("ours");
const pki = await ensureCloudPki(ours, { log: silentLogger });
const strangerPki = await ensureCloudPki(paths("stranger"), { log: silentLogger });

/** Connects over TLS; resolves true once CONNACK came, false when the broker refused the client. */
function connects(port: number, client?: { cert: string; key: string }): Promise<boolean> {
  const c = mqtt.connect({ protocol: "mqtts", host: "127.0.0.1", port, ca: pki.caCert, ...client, reconnectPeriod: 0, connectTimeout: 5000 });
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      c.end(true);
      resolve(ok);
    };
    c.once("connect", () => done(true));
    c.once("error", () => done(false));
    c.once("close", () => done(false));
  });
}

test("with eventBus.internal.tls.clientCA the broker takes only clients with a certificate that CA signed", async () => {
  const bus = new Bus({ log: silentLogger });
  const eventBus = new EventBus({ log: silentLogger, mode: "internal", internal: { host: "127.0.0.1", port: 0, tls: { cert: ours.cert, key: ours.key, clientCA: ours.ca } } });
  const twin = new Recorder("devicetwin");
  bus.register(twin);
  bus.register(eventBus);
  await bus.start();
  try {
    const port = eventBus.internalPort!;
    assert.is(await connects(port), false, "no client certificate");
    const foreign = await issueNodeCertificate(strangerPki, "device-x");
    assert.is(await connects(port, foreign), false, "a certificate from another CA");
    const device = await issueNodeCertificate(pki, "device-1");
    assert.is(await connects(port, device), true, "a certificate from the client CA");

    const c = await mqtt.connectAsync({ protocol: "mqtts", host: "127.0.0.1", port, ca: pki.caCert, cert: device.cert, key: device.key, reconnectPeriod: 0 });
    await c.publishAsync("$hw/events/device/d1/twin/update", '{"twin":{}}', { qos: 1 });
    await twin.waitFor((m) => m.route.resource === "$hw/events/device/d1/twin/update");
    await c.endAsync(true);
  } finally {
    await bus.stop();
  }
});

test("EventBus fails to start naming the file when the broker's TLS key is missing", async () => {
  const bus = new Bus({ log: silentLogger });
  bus.register(new EventBus({ log: silentLogger, mode: "internal", internal: { host: "127.0.0.1", port: 0, tls: { cert: ours.cert, key: join(dir, "nope.key") } } }));
  const err = await bus.start().then(() => undefined, (e: Error) => e);
  await bus.stop();
  assert.ok(err, "start should fail");
  assert.match(String(err?.message) + String((err as Error & { cause?: Error })?.cause?.message ?? ""), /internal broker's key ".*nope\.key"/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
