import { describe, expect, it } from "vitest";
import { MemberKind } from "@ipfed/proto";
import { generateMemberKey } from "@ipfed/sdk";
import { GossipKeyBook } from "./gossip-key-book.js";
import { memberOf } from "./p2p.fixtures.js";

describe("GossipKeyBook", () => {
  it("answers from pinned keys, configured members and learnt announcements", async () => {
    const [hubKey, aKey, aNewKey, bKey] = await Promise.all([generateMemberKey(), generateMemberKey(), generateMemberKey(), generateMemberKey()]);
    const book = new GossipKeyBook({ pinned: { "cn-hub": [hubKey.privateJwk] }, members: [memberOf("sc-a", MemberKind.MEMBER_KIND_TISC, [aKey])] });
    expect(book.keyFor("cn-hub", hubKey.kid)).toEqual({ kty: "OKP", crv: "Ed25519", x: hubKey.publicJwk.x, kid: hubKey.kid, alg: "EdDSA", use: "sig" });
    expect(book.keyFor("sc-a", aKey.kid)?.x).toBe(aKey.publicJwk.x);
    expect(book.keyFor("sc-a", hubKey.kid)).toBeUndefined();
    expect(book.issuerKnown("sc-b")).toBe(false);

    book.learn(memberOf("sc-a", MemberKind.MEMBER_KIND_TISC, [aKey, aNewKey]));
    expect(book.keyFor("sc-a", aNewKey.kid)?.x).toBe(aNewKey.publicJwk.x);

    book.setMembers([memberOf("sc-b", MemberKind.MEMBER_KIND_LIBRARY, [bKey])]);
    expect(book.issuerKnown("sc-b")).toBe(true);
    expect(book.keyFor("sc-a", aKey.kid)?.x).toBe(aKey.publicJwk.x); // still learnt
    expect(book.keyFor("sc-b", bKey.kid)?.x).toBe(bKey.publicJwk.x);
  });

  it("no longer returns a key once its not_after has passed", async () => {
    const key = await generateMemberKey();
    const member = memberOf("sc-a", MemberKind.MEMBER_KIND_TISC, [key]);
    member.keys[0]!.notAfter = "2025-06-01T00:00:00Z";
    let now = new Date("2025-05-31T00:00:00Z");
    const book = new GossipKeyBook({ members: [member], now: () => now });
    expect(book.keyFor("sc-a", key.kid)).toBeDefined();
    now = new Date("2025-06-02T00:00:00Z");
    expect(book.keyFor("sc-a", key.kid)).toBeUndefined();
    member.keys[0]!.notAfter = "not a date";
    expect(new GossipKeyBook({ members: [member] }).keyFor("sc-a", key.kid)).toBeUndefined();
  });
});
