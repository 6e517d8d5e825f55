import { describe, expect, it } from "vitest";
import {
  canonicalId,
  citedNumberKey,
  ipcFromParts,
  normaliseDocNumber,
  normaliseIpc,
  normaliseLocarno,
  normaliseUspc,
  sequenceNumber,
  usptoDate,
} from "./uspto-normalise.js";

describe("USPTO normalisers", () => {
  it("formats dates, keeping month precision where the day is 00", () => {
    expect(usptoDate("20120327")).toBe("2012-03-27");
    expect(usptoDate(" 19010500 ")).toBe("1901-05");
    expect(usptoDate("19010000")).toBe("1901");
    expect(usptoDate("2012-03-27")).toBe("2012-03-27");
  });

  it("normalises document numbers and builds canonical ids", () => {
    expect(normaliseDocNumber("07650331")).toBe("7650331");
    expect(normaliseDocNumber("D0512345")).toBe("D512345");
    expect(normaliseDocNumber("RE039999")).toBe("RE39999");
    expect(normaliseDocNumber("PP015432")).toBe("PP15432");
    expect(normaliseDocNumber("H0002140")).toBe("H2140");
    expect(canonicalId("US", "RE39999", "E")).toBe("US-RE39999-E");
    expect(canonicalId("US", "7650331", "")).toBe("");
  });

  it("normalises cited numbers", () => {
    expect(citedNumberKey("US", "2003/0056749")).toBe("20030056749");
    expect(citedNumberKey("EP", "0 370 613")).toBe("370613");
    expect(citedNumberKey("WO", "WO 98/51827")).toBe("9851827");
    expect(citedNumberKey("US", "D0455678")).toBe("D455678");
    expect(citedNumberKey("JP", "2001-001765")).toBe("2001001765");
  });

  it("builds and normalises IPC symbols", () => {
    expect(ipcFromParts("H", "01", "M", "10", "052")).toBe("H01M 10/052");
    expect(ipcFromParts("A", "61", "K", "031", "44")).toBe("A61K 31/44");
    expect(normaliseIpc("A45F  504")).toBe("A45F 5/04");
    expect(normaliseIpc("H01L 21302")).toBe("H01L 21/302");
    expect(normaliseIpc("C07C24900")).toBe("C07C 249/00");
    expect(normaliseIpc("B62D 1/16")).toBe("B62D 1/16");
  });

  it("normalises fixed-width USPC symbols", () => {
    const cases: Array<[string, string]> = [
      ["  2 52", "2/52"],
      [" 24  9", "24/9"],
      ["429189", "429/189"],
      ["1983462", "198/346.2"],
      ["16510425", "165/104.25"],
      ["123 9016", "123/90.16"],
      ["257E33068", "257/E33.068"],
      ["156DIG 14", "156/DIG14"],
      ["273148 R", "273/148R"],
      ["200  6 A", "200/6A"],
      [" 74471XY", "74/471XY"],
      ["D 2969", "D2/969"],
      [" D1106", "D1/106"],
      ["D26 49", "D26/49"],
      ["D073962", "D7/396.2"],
      ["D14138 G", "D14/138G"],
      ["PLT263", "PLT/263"],
      ["429/231.95", "429/231.95"],
    ];
    for (const [printed, symbol] of cases) expect([printed, normaliseUspc(printed)]).toEqual([printed, symbol]);
  });

  it("normalises Locarno classes and sequence numbers", () => {
    expect(normaliseLocarno("1216")).toBe("12-16");
    expect(normaliseLocarno("09-01")).toBe("09-01");
    expect(sequenceNumber("003", 9)).toBe(3);
    expect(sequenceNumber(undefined, 9)).toBe(9);
  });
});
