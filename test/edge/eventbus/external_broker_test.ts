import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseBrokerUrl } from "../../../lib/edge/eventbus/index.ts";

test("parseBrokerUrl() reads KubeEdge's tcp:// form and the TLS forms", () => {
  assert.equal(parseBrokerUrl("tcp://127.0.0.1:1883"), { protocol: "mqtt", host: "127.0.0.1", port: 1883 });
  assert.equal(parseBrokerUrl("mqtt://broker.local"), { protocol: "mqtt", host: "broker.local", port: 1883 });
  assert.equal(parseBrokerUrl("ssl://broker:8884"), { protocol: "mqtts", host: "broker", port: 8884 });
  assert.equal(parseBrokerUrl("tls://broker"), { protocol: "mqtts", host: "broker", port: 8883 });
  assert.equal(parseBrokerUrl("tcp://[::1]:1883"), { protocol: "mqtt", host: "::1", port: 1883 });
});

test("parseBrokerUrl() refuses other schemes and malformed URLs", () => {
  for (const bad of ["http://x:1", "127.0.0.1:1883", "tcp://", "tcp://h:port"]) {
    assert.throws(() => parseBrokerUrl(bad), (e: Error) => e instanceof TypeError && e.message.includes(`"${bad}"`), bad);
  }
});

test.run();
