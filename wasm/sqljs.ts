/**
 * How sql.js and its WebAssembly are found, for every runtime and for compiled binaries. We import the inline build,
 * which carries the wasm as base64 inside the JavaScript: tsx, Bun, Deno, esbuild bundles, `bun build --compile`
 * binaries and Node single executables then all load it with no file beside them and no asset handling.
 *
 * @module
 */
import initSqlJs from "sql.js/dist/sql-wasm-inline.js";
import type { SqlJsStatic } from "sql.js";

/**
 * The SQLite engine. sql.js compiles the wasm on the first call (about 20 ms) and hands every later call the same
 * instance; the databases opened in it stay independent of each other.
 *
 * @returns the sql.js API (`Database`, `Statement`)
 * @throws the runtime's WebAssembly error when it cannot compile the module
 * @example Open an in-memory database
 * ```ts
 * const SQL = await loadSqlJs();
 * const db = new SQL.Database();
 * db.run("CREATE TABLE t(x)");
 * ```
 */
export function loadSqlJs(): Promise<SqlJsStatic> {
  return initSqlJs();
}
