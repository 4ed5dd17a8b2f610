/**
 * Who may do what on the internal broker. Connecting: with credentials configured, a client must give the user
 * name and password (compared in constant time); without, any local process may connect (client certificates, when
 * configured, are checked earlier, in the TLS handshake: see `internal_broker.ts`). Publishing: whatever the
 * credentials, a client may not publish on edge_core's own topics (see `deviceMayPublish` in devicetwin): a
 * refused publish closes the client's connection, since MQTT 3.1.1 has no way to refuse one packet. EventBus
 * publishes in-process, past these checks. Subscribing: any connected client may read any topic; credentials are
 * what keeps other local processes from reading devices.
 *
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { AedesOptions } from "aedes";
import type { Logger } from "../../log/index.ts";
import { deviceMayPublish } from "../devicetwin/index.ts";

/** User name and password every client of the internal broker must give. */
export type BrokerCredentials = { username: string; password: string };

/** The hooks installed on aedes. */
export type BrokerPolicy = Required<Pick<AedesOptions, "authenticate" | "authorizePublish">>;

/** aedes' reserved topic prefix: clients never publish there. */
const SYS_PREFIX = "$SYS/";
/** Longest topic written into a log line. */
const LOG_TOPIC_MAX = 200;

/** Equal digests of equal length: the time taken does not tell how much of a guess was right. */
function sameSecret(given: Uint8Array, expected: Uint8Array): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The policy for one broker; `credentials` undefined leaves connecting open. */
export function brokerPolicy(credentials: BrokerCredentials | undefined, log: Logger): BrokerPolicy {
  const expectedUser = credentials ? Buffer.from(credentials.username) : undefined;
  const expectedPassword = credentials ? Buffer.from(credentials.password) : undefined;
  return {
    authenticate(client, username, password, done) {
      if (!expectedUser || !expectedPassword) return done(null, true);
      // both compared every time, so a wrong user name costs as long as a wrong password
      const userOk = sameSecret(Buffer.from(username ?? ""), expectedUser);
      const passwordOk = sameSecret(password ?? Buffer.alloc(0), expectedPassword);
      if (userOk && passwordOk) return done(null, true);
      log.warn("mqtt client refused: wrong user name or password", { client: String(client.id).slice(0, LOG_TOPIC_MAX) });
      // [MQTT-3.2.2.3] return code 4: bad user name or password
      done(Object.assign(new Error("bad user name or password"), { returnCode: 4 as const }), false);
    },
    authorizePublish(client, packet, done) {
      const topic = packet.topic;
      if (topic.startsWith(SYS_PREFIX)) return done(new Error(`${SYS_PREFIX} topics are reserved`));
      // also a will (client null for one left by a client gone before): it was a client's message all the same
      if (!deviceMayPublish(topic)) {
        log.warn("mqtt publish refused: topic is published only by edge_core; closing the client", {
          client: String(client?.id ?? "(will)").slice(0, LOG_TOPIC_MAX),
          topic: topic.slice(0, LOG_TOPIC_MAX),
        });
        return done(new Error(`publishing on "${topic.slice(0, LOG_TOPIC_MAX)}" is reserved to edge_core`));
      }
      done(null);
    },
  };
}
