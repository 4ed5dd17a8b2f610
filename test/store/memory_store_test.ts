import { openMemoryStore } from "../../lib/store/index.ts";
import { runStoreConformance } from "./_conformance.ts";

runStoreConformance("openMemoryStore()", async () => {
  const store = await openMemoryStore();
  return { store, dispose: () => store.close() };
});
