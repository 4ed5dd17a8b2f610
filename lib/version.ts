/**
 * The version of edge_core and cloud_core; also reported as the node's kubeletVersion. Kept in sync with
 * package.json by test/version_test.ts.
 * @module
 */

/** Semantic version of this build. */
export const VERSION = "0.1.0";
