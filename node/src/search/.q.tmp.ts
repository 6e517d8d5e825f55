import { parseQuery } from "@ipfed/sdk";
import { Level } from "level";
import { sampleQueries } from "../../../packages/corpus/src/index.js";
import { LevelSearchIndex } from "./level-search-index.js";
const db = new Level<string, Uint8Array>(process.argv[2]!, { keyEncoding: "utf8", valueEncoding: "view" });
await db.open();
const index = new LevelSearchIndex(db.sublevel<string, Uint8Array>("index", { keyEncoding: "utf8", valueEncoding: "view" }));
await index.open();
const re = new RegExp(process.argv[3]!, "u");
const qs = sampleQueries({ count: 20000, seed: 3 }).filter((q) => re.test(q)).slice(0, 1000);
for (let pass = 0; pass < 3; pass++) {
  const t = performance.now();
  const times: [number, string, number][] = [];
  for (const q of qs) { const s = performance.now(); const r = await index.search(parseQuery(q), { limit: 10 }); times.push([performance.now() - s, q, r.total]); }
  times.sort((a, b) => b[0] - a[0]);
  console.log(pass, (qs.length / ((performance.now() - t) / 1000)).toFixed(0), "q/s", times.slice(0, 5).map(([t, q, n]) => `${t.toFixed(1)}ms ${q} (${n})`).join(" | "));
}
console.log(process.memoryUsage(), index.describe());
