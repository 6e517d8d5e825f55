import { Level } from "level";
import { LevelSearchIndex } from "./level-search-index.js";
const db = new Level<string, Uint8Array>(process.argv[2]!, { keyEncoding: "utf8", valueEncoding: "view" });
let t = performance.now();
await db.open();
console.log("db open", (performance.now() - t).toFixed(0));
const sub = db.sublevel<string, Uint8Array>("index", { keyEncoding: "utf8", valueEncoding: "view" });
t = performance.now(); console.log(await sub.keys({ gte: "g/", lt: "g0" }).all(), (performance.now() - t).toFixed(1));
t = performance.now(); console.log((await sub.keys({ gte: "o/", lt: "o0" }).all()).length, "pending", (performance.now() - t).toFixed(1));
t = performance.now(); console.log((await sub.keys({ gte: "x/", lt: "x0" }).all()).length, "deleted", (performance.now() - t).toFixed(1));
t = performance.now(); console.log(await sub.get("v"), (performance.now() - t).toFixed(1));
for (let i = 0; i < 2; i++) {
  const index = new LevelSearchIndex(sub);
  t = performance.now();
  await index.open();
  console.log("index open", (performance.now() - t).toFixed(0));
  await index.close();
}
console.log(process.memoryUsage());
