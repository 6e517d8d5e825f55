import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ENTRY_FIELDS, GENESIS_HASH, canonicalEntry, entryLine, hashEntry, parseEntry, sealEntry } from "./audit-entry.js";
import { sampleEvent } from "./audit.fixtures.js";

const sha256 = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");

describe("audit entry", () => {
  it("hashes the documented canonical form: fixed key order, no whitespace, hash last in the line", () => {
    const e = sealEntry(sampleEvent(2), 1, GENESIS_HASH);
    const canonical = canonicalEntry(e);
    expect(Object.keys(JSON.parse(canonical))).toEqual([...ENTRY_FIELDS]);
    expect(canonical).toBe(
      '{"seq":1,"prev":"' + GENESIS_HASH + '","time":"2025-06-01T08:00:00.002Z","rpc":"/ipfed.v1.SearchService/Search",' +
        '"subject":"user-2@tisc-scu","issuer":"sc-regional","act":[],"tier":"public","datasets":["cnipa-grants"],' +
        `"requestDigest":"${e.requestDigest}","resultCount":0,"status":"PERMISSION_DENIED","code":"TIER_TOO_LOW",` +
        '"peer":"ipv4:10.0.0.2:52","ms":2.25}',
    );
    expect(e.hash).toBe(sha256(canonical));
    const line = entryLine(e);
    expect(line.endsWith(`,"hash":"${e.hash}"}\n`)).toBe(true);
    // What docs/audit.md tells people to do with sed + sha256sum: strip the hash, hash the rest.
    expect(sha256(line.replace(/,"hash":"[0-9a-f]{64}"\}\n$/, "}"))).toBe(e.hash);
  });

  it("chains: the next entry's prev is this entry's hash, and any change changes the hash", () => {
    const a = sealEntry(sampleEvent(1), 1, GENESIS_HASH);
    const b = sealEntry(sampleEvent(2), 2, a.hash);
    expect(b.prev).toBe(a.hash);
    expect(hashEntry({ ...a, status: "PERMISSION_DENIED" })).not.toBe(a.hash);
    expect(hashEntry({ ...a, act: ["x"] })).not.toBe(a.hash);
  });

  it("normalises what other tools could not re-serialise the same way, and never throws", () => {
    const e = sealEntry(sampleEvent(1, { subject: "bad\uD800x", ms: 0.1 + 0.2, resultCount: -3.5 }), 1, GENESIS_HASH);
    expect(e.subject).toBe("bad\uFFFDx");
    expect(e.ms).toBe(0.3);
    expect(e.resultCount).toBe(0);
    const odd = sealEntry({ ms: Number.NaN, act: "x", datasets: [1, null] } as unknown as Parameters<typeof sealEntry>[0], 2, GENESIS_HASH);
    expect(odd).toMatchObject({ ms: 0, act: [], datasets: ["1", ""], rpc: "", resultCount: 0 });
    expect(parseEntry(entryLine(odd).trimEnd())).toMatchObject({ ok: true });
    const cjk = sealEntry(sampleEvent(1, { subject: "四川大学\n\"tab\t\u0001" }), 1, GENESIS_HASH);
    expect(entryLine(cjk)).toContain('"subject":"四川大学\\n\\"tab\\t\\u0001"');
  });

  it("parses a stored line and rejects anything that is not exactly an entry", () => {
    const e = sealEntry(sampleEvent(3), 7, GENESIS_HASH);
    const line = entryLine(e).trimEnd();
    expect(parseEntry(line)).toEqual({ ok: true, entry: e });
    const obj = JSON.parse(line) as Record<string, unknown>;
    const bad = (o: Record<string, unknown>): string => {
      const p = parseEntry(JSON.stringify(o));
      return p.ok ? "ok" : p.reason;
    };
    expect(parseEntry('{"seq":1')).toMatchObject({ ok: false, reason: expect.stringContaining("not JSON") });
    expect(parseEntry("[1]")).toMatchObject({ ok: false, reason: "not a JSON object" });
    expect(bad({ ...obj, note: "x" })).toBe('unknown field "note"');
    expect(bad({ ...obj, peer: undefined })).toBe('missing field "peer"');
    expect(bad({ ...obj, seq: 0 })).toContain('"seq"');
    expect(bad({ ...obj, prev: "ABC" })).toContain('"prev"');
    expect(bad({ ...obj, status: 0 })).toContain('"status"');
    expect(bad({ ...obj, act: [1] })).toContain('"act"');
    expect(bad({ ...obj, resultCount: 1.5 })).toContain('"resultCount"');
    expect(bad({ ...obj, ms: -1 })).toContain('"ms"');
  });
});
