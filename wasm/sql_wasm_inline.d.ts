// The inline build of sql.js has the same API as the package's main entry; it only carries the wasm as base64.
declare module "sql.js/dist/sql-wasm-inline.js" {
  import initSqlJs from "sql.js";
  export default initSqlJs;
}
