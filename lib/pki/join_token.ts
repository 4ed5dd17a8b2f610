/**
 * Join tokens: what `cloud_core token create` prints and `edge_core join --token` takes. One string carries the pin
 * of the cloud's CA and a bootstrap credential:
 *
 * ```
 * KE1<64 hex: SHA-256 of the CA's SubjectPublicKeyInfo>::<id>.<secret>
 * ```
 *
 * `id` is 6 and `secret` 16 characters of `[a-z0-9]` (about 82 bits). The id names the token (it is the Secret's name
 * suffix and may be shown and logged); the secret is shown once and the cloud keeps only its SHA-256. The pin lets the
 * device check the CA the cloud shows before trusting it (see {@link caCertHash}).
 *
 * @module
 */
import { createHash, randomInt, timingSafeEqual } from "node:crypto";

/** Prefix and version of the token format. */
const PREFIX = "KE1";
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const ID_LENGTH = 6;
const SECRET_LENGTH = 16;
const TOKEN = /^KE1([0-9a-f]{64})::([a-z0-9]{6})\.([a-z0-9]{16})$/;
const ID = /^[a-z0-9]{6}$/;

/** A parsed join token. `secret` must never be logged or stored; store {@link hashTokenSecret} of it. */
export type JoinToken = { caHash: string; id: string; secret: string };

/** Text that is not a join token. The message never contains the token. */
export class JoinTokenFormatError extends Error {
  constructor(message = `join token is not in the form ${PREFIX}<64 hex>::<6 of a-z0-9>.<16 of a-z0-9>`) {
    super(message);
    this.name = "JoinTokenFormatError";
  }
}

function randomText(length: number): string {
  let s = "";
  for (let i = 0; i < length; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** A new random token id and secret, pinned to `caHash` (`sha256:<hex>` as {@link caCertHash} returns). */
export function newJoinToken(caHash: string): JoinToken {
  return { caHash, id: randomText(ID_LENGTH), secret: randomText(SECRET_LENGTH) };
}

/** The printed form of a token. */
export function formatJoinToken(token: JoinToken): string {
  return `${PREFIX}${token.caHash.replace(/^sha256:/, "")}::${token.id}.${token.secret}`;
}

/** Parses the printed form. @throws JoinTokenFormatError */
export function parseJoinToken(text: string): JoinToken {
  const m = typeof text === "string" && text.length < 200 ? TOKEN.exec(text.trim()) : null;
  if (!m) throw new JoinTokenFormatError();
  return { caHash: `sha256:${m[1]}`, id: m[2], secret: m[3] };
}

/** True for a well-formed token id (6 of `[a-z0-9]`). */
export function isJoinTokenId(id: string): boolean {
  return ID.test(id);
}

/** What the cloud stores instead of the secret: lower-case hex SHA-256. */
export function hashTokenSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Compares a presented secret with a stored hash in time that does not depend on where they differ. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const want = Buffer.from(storedHash, "utf8");
  const got = Buffer.from(hashTokenSecret(secret), "utf8");
  return want.length === got.length && timingSafeEqual(want, got);
}
