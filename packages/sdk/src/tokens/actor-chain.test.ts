import { describe, expect, it } from "vitest";
import { actChainToList, withActor } from "./actor-chain.js";

describe("actChainToList", () => {
  it("lists actors outermost (latest) first", () => {
    expect(actChainToList({ sub: "outlet", iss: "outlet", act: { sub: "regional", act: { sub: "hub" } } })).toEqual(["outlet", "regional", "hub"]);
  });

  it("gives an empty list for no chain", () => {
    expect(actChainToList(undefined)).toEqual([]);
  });
});

describe("withActor", () => {
  it("puts the new actor outermost", () => {
    const first = withActor(undefined, "hub", "hub");
    expect(first).toStrictEqual({ sub: "hub", iss: "hub" });
    const second = withActor(first, "regional");
    expect(second).toStrictEqual({ sub: "regional", act: { sub: "hub", iss: "hub" } });
    expect(actChainToList(second)).toEqual(["regional", "hub"]);
  });
});
