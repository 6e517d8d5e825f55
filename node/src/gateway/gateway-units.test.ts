import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { Member, MemberHealth, MemberKind } from "@ipfed/proto";
import { IpfedError } from "@ipfed/sdk";
import { errorBody, httpStatusOf } from "./http-status.js";
import { GatewayParams } from "./gateway-params.js";
import { kindName, networkIndicators, withSelf } from "./network-view.js";

describe("httpStatusOf", () => {
  it("maps gRPC statuses to HTTP statuses", () => {
    expect(
      [status.OK, status.INVALID_ARGUMENT, status.UNAUTHENTICATED, status.PERMISSION_DENIED, status.NOT_FOUND, status.RESOURCE_EXHAUSTED, status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.INTERNAL].map(
        httpStatusOf,
      ),
    ).toEqual([200, 400, 401, 403, 404, 429, 503, 504, 500]);
  });

  it("puts where the error is under detail", () => {
    expect(errorBody(new IpfedError("QUERY_SYNTAX", "bad", { field: "query", position: 4 }))).toEqual({ code: "QUERY_SYNTAX", message: "bad", detail: { field: "query", position: 4 } });
    expect(errorBody(new IpfedError("NOT_FOUND", "none"))).toEqual({ code: "NOT_FOUND", message: "none" });
  });
});

describe("GatewayParams", () => {
  const p = new GatewayParams(new URLSearchParams("federate=true&n=12&bad=1x&facets=kind,year&facets=country&flag=&f=csv"));

  it("reads booleans, numbers, lists and choices", () => {
    expect(p.bool("federate")).toBe(true);
    expect(p.bool("flag")).toBe(true);
    expect(p.bool("absent")).toBe(false);
    expect(p.uint("n", 0)).toBe(12);
    expect(p.list("facets")).toEqual(["kind", "year", "country"]);
    expect(p.oneOf("f", ["jsonl", "csv"] as const, "jsonl")).toBe("csv");
  });

  it("names the parameter of a bad value", () => {
    expect(() => p.uint("bad", 0, "PAGE_SIZE_INVALID")).toThrow(expect.objectContaining({ code: "PAGE_SIZE_INVALID", field: "bad" }));
    expect(() => p.oneOf("federate", ["a", "b"] as const, "a")).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT", field: "federate" }));
    expect(() => p.required("dataset")).toThrow(expect.objectContaining({ field: "dataset" }));
  });
});

describe("network view", () => {
  const member = (id: string, kind: MemberKind, health: MemberHealth, records: number) =>
    Member.fromPartial({ id, kind, health, catalogue: { datasetCount: records ? 1 : 0, recordCount: records } });

  it("adds this node when the list lacks it, and counts the indicators", () => {
    const self = member("hub", MemberKind.MEMBER_KIND_HUB, MemberHealth.MEMBER_HEALTH_UP, 0);
    const list = withSelf(
      [member("a", MemberKind.MEMBER_KIND_TISC, MemberHealth.MEMBER_HEALTH_UP, 10), member("b", MemberKind.MEMBER_KIND_LIBRARY, MemberHealth.MEMBER_HEALTH_DOWN, 5)],
      self,
    );
    expect(list.map((m) => m.id)).toEqual(["hub", "a", "b"]);
    expect(networkIndicators(list, 7)).toEqual({
      members: 3,
      byKind: { hub: 1, tisc: 1, library: 1 },
      tiscs: 1,
      datasets: 2,
      records: 15,
      queriesServed: 7,
      availability: { up: 2, total: 3, ratio: 2 / 3 },
    });
    expect(kindName(MemberKind.MEMBER_KIND_REGIONAL)).toBe("regional");
  });

  it("keeps a listed node's entry but takes its own catalogue and health", () => {
    const listed = member("hub", MemberKind.MEMBER_KIND_HUB, MemberHealth.MEMBER_HEALTH_DOWN, 0);
    const self = member("hub", MemberKind.MEMBER_KIND_HUB, MemberHealth.MEMBER_HEALTH_UP, 3);
    const [m] = withSelf([listed], self);
    expect([m!.health, m!.catalogue?.recordCount]).toEqual([MemberHealth.MEMBER_HEALTH_UP, 3]);
  });
});
