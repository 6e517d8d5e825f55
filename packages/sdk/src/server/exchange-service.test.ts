// Export over a real member server on loopback: a source that offers its records encoded
// (scanEncoded) must answer exactly as one that only offers them decoded, for every tier;
// a caller cleared for every field gets the stored bytes, a record that already reports
// withheld fields goes through redaction, and the audit entry counts the records sent.
import { Client, credentials, Metadata } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Dataset, ExportRequest, ExportResponse, MemberKind, Party, Record, RecordKind, Tier } from "@ipfed/proto";
import type { Caller, ScopeName } from "../index.js";
import type { AuditEvent } from "./audit-sink.js";
import type { DataSource } from "./data-source.js";
import { createMemberServer } from "./member-server.js";
import type { MemberServer } from "./member-server.js";

const DATASET = "patents";

function patent(n: number, extra: Partial<Record> = {}): Record {
  return Record.fromPartial({
    id: `CN-${String(110000000 + n)}-A`,
    kind: RecordKind.RECORD_KIND_PATENT,
    datasetId: DATASET,
    publicationNumber: `CN${110000000 + n}A`,
    publicationDate: "2022-05-20",
    titles: [{ lang: "zh", text: `钠离子电池正极材料 ${n}` }, { lang: "en", text: `Cathode material ${n}` }],
    claims: [{ lang: "zh", text: "一种层状氧化物正极材料。" }],
    inventors: [Party.fromPartial({ name: "吴强", country: "CN", city: "宁德", address: "蕉城区漳湾镇新港路2号" })],
    examinationNotes: [{ lang: "en", text: `note ${n}` }],
    ipc: ["H01M 4/36"],
    ...extra,
  });
}

// 30 records: one RESTRICTED, one that arrived (from a mirror) already reporting withheld
// fields, in an order that is not sorted, so redaction visibly rewrites it.
const RECORDS = Array.from({ length: 30 }, (_, i) =>
  i === 7 ? patent(i, { accessTier: Tier.TIER_RESTRICTED }) : i === 12 ? patent(i, { withheldFields: ["inventors.address", "claims"], claims: [] }) : patent(i),
).sort((a, b) => (a.id < b.id ? -1 : 1));

function source(encoded: boolean): DataSource & { encodedScans: number } {
  const scan = async (_: string, after: string | undefined, limit: number) => RECORDS.filter((r) => after === undefined || r.id > after).slice(0, limit);
  const out: DataSource & { encodedScans: number } = {
    encodedScans: 0,
    listDatasets: async () => [Dataset.fromPartial({ id: DATASET, recordCount: RECORDS.length, tier: Tier.TIER_PUBLIC })],
    getDataset: async (id) => (id === DATASET ? Dataset.fromPartial({ id: DATASET, recordCount: RECORDS.length, tier: Tier.TIER_PUBLIC }) : undefined),
    listServices: async () => [],
    watchCatalogue: async function* () {},
    search: async () => ({ total: 0, hits: [], facets: [] }),
    getRecord: async () => undefined,
    scan,
    changes: async () => [],
  };
  if (encoded) {
    out.scanEncoded = async (d, after, limit) => {
      out.encodedScans += 1;
      return (await scan(d, after, limit)).map((r) => Record.encode(r).finish());
    };
  }
  return out;
}

const TIERS = [Tier.TIER_PUBLIC, Tier.TIER_REGISTERED, Tier.TIER_RESTRICTED, Tier.TIER_CONFIDENTIAL];

async function serve(src: DataSource, audit: AuditEvent[]): Promise<{ server: MemberServer; address: string }> {
  const server = createMemberServer({
    identity: { id: "m1", kind: MemberKind.MEMBER_KIND_LIBRARY, region: "510000", names: [], networkId: "test", keys: () => [] },
    dataSource: src,
    options: {
      // The tier travels in the authorization header: enough for a test of what each tier receives.
      authenticate: async (md): Promise<Caller> => {
        const tier = Number(String(md.get("authorization")[0] ?? "").replace("Bearer ", "")) as Tier;
        return { anonymous: false, subject: `tier-${tier}`, issuer: "test", tier, scopes: new Set<ScopeName>(["search", "read", "export"]), tokenId: "", expiresAt: 0 };
      },
      audit: { append: async (e) => void audit.push(e) },
      limits: false,
    },
  });
  return { server, address: await server.listen("127.0.0.1:0") };
}

/** Every message of an Export, as the bytes on the wire. */
function exportBytes(address: string, tier: Tier, batchSize: number): Promise<Buffer[]> {
  const client = new Client(address, credentials.createInsecure());
  const md = new Metadata();
  md.set("authorization", `Bearer ${tier}`);
  const call = client.makeServerStreamRequest<ExportRequest, Buffer>(
    "/ipfed.v1.ExchangeService/Export",
    (r) => Buffer.from(ExportRequest.encode(r).finish()),
    (b) => b,
    ExportRequest.fromPartial({ datasetId: DATASET, batchSize }),
    md,
  );
  const out: Buffer[] = [];
  return new Promise((resolve, reject) => {
    call.on("data", (b: Buffer) => out.push(b));
    call.on("error", reject);
    call.on("end", () => {
      client.close();
      resolve(out);
    });
  });
}

describe("Export from a source that keeps records encoded", () => {
  const plainAudit: AuditEvent[] = [];
  const encodedAudit: AuditEvent[] = [];
  let plain: { server: MemberServer; address: string };
  let encoded: { server: MemberServer; address: string };
  let encodedSource: ReturnType<typeof source>;

  beforeAll(async () => {
    encodedSource = source(true);
    plain = await serve(source(false), plainAudit);
    encoded = await serve(encodedSource, encodedAudit);
  });
  afterAll(async () => {
    await Promise.all([plain.server.close(), encoded.server.close()]);
  });

  it("answers every tier with the same bytes as a source of decoded records", async () => {
    for (const tier of TIERS) {
      for (const batchSize of [7, 500]) {
        const a = await exportBytes(plain.address, tier, batchSize);
        const b = await exportBytes(encoded.address, tier, batchSize);
        expect(b.map((m) => m.toString("hex")), `tier ${Tier[tier]}, batch ${batchSize}`).toEqual(a.map((m) => m.toString("hex")));
      }
    }
  });

  it("reads the stored encoding only for a caller cleared for every field, and sends each record once", async () => {
    const before = encodedSource.encodedScans;
    await exportBytes(encoded.address, Tier.TIER_RESTRICTED, 500);
    expect(encodedSource.encodedScans).toBe(before);
    const messages = (await exportBytes(encoded.address, Tier.TIER_CONFIDENTIAL, 7)).map((m) => ExportResponse.decode(m));
    expect(encodedSource.encodedScans).toBeGreaterThan(before);
    expect(messages.map((m) => [m.records.length, m.total, m.last])).toEqual([
      [7, 30, false],
      [7, 30, false],
      [7, 30, false],
      [7, 30, false],
      [2, 30, true],
    ]);
    const records = messages.flatMap((m) => m.records);
    expect(records.map((r) => r.id)).toEqual(RECORDS.map((r) => r.id));
    expect(records[3]).toEqual(RECORDS[3]);
    expect(records.find((r) => r.id === "CN-110000007-A")!.examinationNotes.map((t) => t.text)).toEqual(["note 7"]);
    // The record that already reported withheld fields is redacted: the report comes out sorted.
    expect(records.find((r) => r.id === "CN-110000012-A")!.withheldFields).toEqual(["claims", "inventors.address"]);
  });

  it("leaves out a record above the caller's tier and redacts the rest", async () => {
    const records = (await exportBytes(encoded.address, Tier.TIER_REGISTERED, 500)).flatMap((m) => ExportResponse.decode(m).records);
    expect(records).toHaveLength(29);
    expect(records.some((r) => r.id === "CN-110000007-A")).toBe(false);
    expect(records.every((r) => r.examinationNotes.length === 0 && r.withheldFields.includes("examination_notes"))).toBe(true);
  });

  it("counts the records sent in the audit entry", async () => {
    encodedAudit.length = 0;
    await exportBytes(encoded.address, Tier.TIER_CONFIDENTIAL, 7);
    await exportBytes(encoded.address, Tier.TIER_REGISTERED, 500);
    await vi.waitFor(() => expect(encodedAudit).toHaveLength(2));
    expect(encodedAudit.map((e) => [e.rpc, e.tier, e.resultCount, e.status])).toEqual([
      ["/ipfed.v1.ExchangeService/Export", "confidential", 30, "OK"],
      ["/ipfed.v1.ExchangeService/Export", "registered", 29, "OK"],
    ]);
  });
});
