import { describe, expect, it } from "vitest";
import { validateConfig } from "./node-config.js";

const base = { version: 1, id: "sc-tisc", kind: "tisc", region: "510100", names: { en: "TISC" }, networkId: "ipfed", listen: "127.0.0.1:7400", http: "127.0.0.1:7480" };
const withP2p = (p2p: unknown) => ({ ...base, federation: { p2p } });
const fieldOf = (raw: unknown): string | undefined => {
  try {
    validateConfig(raw, "ipfed.json");
    return undefined;
  } catch (err) {
    return (err as { field?: string }).field;
  }
};

describe("validateConfig: federation.p2p", () => {
  it("accepts the documented settings", () => {
    expect(fieldOf(withP2p({}))).toBeUndefined();
    expect(fieldOf(withP2p({ enabled: false }))).toBeUndefined();
    expect(fieldOf(withP2p({ listen: "/ip4/0.0.0.0/tcp/4001" }))).toBeUndefined();
    expect(fieldOf(withP2p({ listen: ["/ip4/0.0.0.0/tcp/4001", "/ip6/::/tcp/4001"], announce: ["/dns4/tisc.example.cn/tcp/4001"] }))).toBeUndefined();
    expect(fieldOf(withP2p({ bootstrap: ["/ip4/10.0.0.1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA"] }))).toBeUndefined();
  });

  it("names the first bad field", () => {
    expect(fieldOf(withP2p("yes"))).toBe("federation.p2p");
    expect(fieldOf(withP2p({ enabled: "no" }))).toBe("federation.p2p.enabled");
    expect(fieldOf(withP2p({ listen: "127.0.0.1:4001" }))).toBe("federation.p2p.listen");
    expect(fieldOf(withP2p({ announce: "/ip4/1.2.3.4/tcp/1" }))).toBe("federation.p2p.announce");
    expect(fieldOf(withP2p({ bootstrap: ["/ip4/10.0.0.1/tcp/4001"] }))).toBe("federation.p2p.bootstrap");
    expect(fieldOf({ ...base, federation: { heartbeatSeconds: 0 } })).toBe("federation.heartbeatSeconds");
  });
});
