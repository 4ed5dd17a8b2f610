/**
 * Types of the cloud's certificate authority and the certificates it issues.
 *
 * @module
 */
import type { Logger } from "../log/index.ts";

/** Where the cloud keeps its CA and its server certificate (PEM files). */
export type CloudTlsPaths = { ca: string; caKey: string; cert: string; key: string };

/** The loaded CA and server certificate, as PEM strings, plus what signing needs. */
export type CloudPki = {
  caCert: string;
  /** Never log or send this. */
  caKey: string;
  serverCert: string;
  serverKey: string;
  /** The CA key imported for signing node certificates. */
  caSigningKey: CryptoKey;
  /** Signature algorithm that matches the CA key. */
  caSigningAlgorithm: EcdsaParams | Algorithm;
};

/** A node certificate, its key and the CA that verifies the cloud (PEM strings). */
export type NodeCertificateBundle = { cert: string; key: string; ca: string };

/** Options of {@link ensureCloudPki}. */
export type CloudPkiOptions = {
  /** Extra IPs or DNS names for the server certificate (beside 127.0.0.1, ::1, localhost and the host name). */
  hosts?: string[];
  log?: Logger;
  /** Lifetime of a new CA. @default 3650 days */
  caValidityDays?: number;
  /** Lifetime of a new server certificate in milliseconds. @default one year */
  certValidityMs?: number;
};

/** Options of {@link issueNodeCertificate}. */
export type NodeCertificateOptions = {
  /** Lifetime of the node certificate in milliseconds. @default one year */
  validityMs?: number;
};
