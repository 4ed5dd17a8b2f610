import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { listStoreFiles, storeFiles } from "../../lib/store/store_files.ts";
import { tempDir } from "./_files.ts";

test("storeFiles() puts the snapshot at the path and journals beside it", () => {
  const files = storeFiles("/var/lib/edge/edge.db");
  assert.is(files.snapshot, "/var/lib/edge/edge.db");
  assert.is(files.dir, "/var/lib/edge");
  assert.is(files.journal(12), "/var/lib/edge/edge.db.journal.12");
});

test("listStoreFiles() lists this store's journals in numeric order and its temporary files only", async () => {
  const { dir, remove } = tempDir();
  for (const name of ["edge.db", "edge.db.journal.10", "edge.db.journal.9", "edge.db.tmp", "edge.db.journal.11.tmp",
    "edge.db.journal.9.dropped", "other.db.journal.1", "edgexdb.journal.2", "edge.db.journal.x"]) {
    writeFileSync(join(dir, name), "");
  }
  const found = await listStoreFiles(storeFiles(join(dir, "edge.db")));
  assert.equal(found.journals, [9, 10]);
  assert.equal(found.temps.sort(), [join(dir, "edge.db.journal.11.tmp"), join(dir, "edge.db.tmp")]);
  remove();
});

test.run();
