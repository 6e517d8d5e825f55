// IC layout-design registrations: a chip (model number and type), its process and function,
// the semiconductor company that registered it, its designers, creation and first-exploitation
// dates, and the ten-year protection. The registration year is encoded in the BS number.

import { RecordKind } from "@ipfed/proto";
import type { LegalEvent, Party, Record } from "@ipfed/proto";
import { dayInYear, FIRST_DAY, isoDate, isoTimestamp, LAST_DAY } from "./dates.js";
import type { RecordIdentity } from "./identity.js";
import { encodedYear } from "./layout.js";
import { chineseBrand, chineseCompany } from "./names.js";
import type { CorpusContext } from "./options.js";
import { chinesePerson, copyParty, organisationParty } from "./parties.js";
import { zipfRank } from "./prng.js";
import { STREAM, streamRng } from "./streams.js";
import { domainByKey } from "./vocabulary.js";

// zh, en, circuit type, function
const CHIPS: readonly (readonly [string, string, string, string])[] = [
  ["低功耗蓝牙SoC芯片", "low-power Bluetooth SoC chip", "数模混合电路", "无线通信"],
  ["电源管理芯片", "power management chip", "模拟电路", "电源转换与管理"],
  ["图像信号处理芯片", "image signal processing chip", "数字电路", "图像处理"],
  ["射频收发芯片", "radio frequency transceiver chip", "射频电路", "射频信号收发"],
  ["MCU微控制器", "MCU microcontroller", "数字电路", "嵌入式控制"],
  ["锂电池保护芯片", "lithium battery protection chip", "模拟电路", "电池过充过放保护"],
  ["LED驱动芯片", "LED driver chip", "模拟电路", "恒流驱动"],
  ["高速ADC芯片", "high-speed ADC chip", "数模混合电路", "信号采集与转换"],
  ["存储控制芯片", "storage controller chip", "数字电路", "数据存储控制"],
  ["电机驱动芯片", "motor driver chip", "数模混合电路", "电机驱动控制"],
  ["AI加速芯片", "AI accelerator chip", "数字电路", "神经网络推理加速"],
  ["CMOS图像传感器芯片", "CMOS image sensor chip", "数模混合电路", "图像采集"],
];
const PROCESSES = ["CMOS", "BCD", "BiCMOS", "SOI", "GaN"];
const NODES = ["0.35μm", "0.18μm", "0.13μm", "90nm", "55nm", "40nm", "28nm", "22nm", "12nm"];
const SEMICONDUCTOR = domainByKey("semiconductor");

/** Generates the IC layout-design record of an identity. */
export function generateIcLayout(ctx: CorpusContext, identity: RecordIdentity): Record {
  const index = identity.plan.index;
  const rng = streamRng(ctx, STREAM.content, index);
  const [chipZh, chipEn, circuit, purpose] = rng.pick(CHIPS);
  const brand = chineseBrand(rng);
  const model = `${brand.pinyin.charAt(0)}${brand.pinyin.charAt(brand.pinyin.length - 2)}${rng.range(1000, 9999)}`;
  const process = rng.pick(PROCESSES);
  const node = rng.pick(NODES);
  const structure = `${process}工艺，${node}，${circuit}；实现${purpose}功能`;

  const industries = SEMICONDUCTOR?.data.industries ?? ["半导体"];
  const company = chineseCompany(industries, SEMICONDUCTOR?.index ?? 0, zipfRank(rng, 400));
  const applicants: Party[] = [organisationParty(company, 1)];
  const inventors: Party[] = [];
  const designers = rng.range(1, 4);
  for (let i = 1; i <= designers; i++) inventors.push(chinesePerson(rng, i, "name").party);

  const year = encodedYear(identity.plan);
  const publicationDay = dayInYear(rng, year);
  const applicationDay = Math.max(FIRST_DAY, publicationDay - rng.range(60, 240));
  const creationDay = Math.max(FIRST_DAY, applicationDay - rng.range(30, 700));
  const exploited = rng.chance(0.6);
  const exploitationDay = exploited ? creationDay + rng.int(Math.max(1, applicationDay - creationDay)) : -1;
  const expiryDay = Math.min(applicationDay, exploited ? exploitationDay : applicationDay) + 3652;
  const events: LegalEvent[] = [
    { date: isoDate(applicationDay), category: "A", code: "BS01", description: "集成电路布图设计登记申请受理", country: "CN" },
    { date: isoDate(publicationDay), category: "E", code: "BS02", description: "集成电路布图设计登记公告", country: "CN" },
  ];
  const expired = expiryDay <= LAST_DAY;
  if (expired) events.push({ date: isoDate(expiryDay), category: "H", code: "BS03", description: "集成电路布图设计专有权保护期届满", country: "CN" });
  const digits = identity.docNumber.slice(2);
  let check = 0;
  for (let i = 0; i < digits.length; i++) check += (digits.charCodeAt(i) - 48) * (i + 1);

  return {
    id: identity.id,
    kind: RecordKind.RECORD_KIND_IC_LAYOUT,
    datasetId: ctx.datasetId,
    publicationNumber: "",
    country: "CN",
    docNumber: identity.docNumber,
    kindCode: identity.kindCode,
    publicationDate: isoDate(publicationDay),
    applicationNumber: digits,
    applicationDate: isoDate(applicationDay),
    titles: [
      { lang: "zh", text: `${model}${chipZh}` },
      { lang: "en", text: `${model} ${chipEn}` },
    ],
    abstracts: [
      { lang: "zh", text: `${model}${chipZh}的布图设计采用${process}工艺（${node}），属于${circuit}，实现${purpose}功能。` },
      { lang: "en", text: `The layout design of the ${model} ${chipEn} uses a ${process} process at ${node}.` },
    ],
    claims: [],
    descriptions: [],
    applicants,
    inventors,
    owners: applicants.map((p, i) => copyParty(p, i + 1)),
    agents: [],
    ipc: [],
    cpc: [],
    locarno: [],
    nice: [],
    vienna: [],
    nationalClasses: [],
    priorities: [],
    familyId: "",
    citations: [],
    legalEvents: events,
    detail: {
      $case: "icLayout",
      value: {
        registrationNumber: `BS.${digits}.${check % 10}`,
        creationDate: isoDate(creationDay),
        firstExploitationDate: exploited ? isoDate(exploitationDay) : "",
        structure,
      },
    },
    examinationNotes: [],
    accessTier: 0,
    provenance: {
      memberId: ctx.memberId,
      updatedTime: isoTimestamp(expired ? expiryDay : publicationDay),
      version: 1,
      source: `corpus:seed=${ctx.seed}#${index}`,
    },
    extra: { region: company.region, applicant_type: "enterprise", legal_status: expired ? "expired" : "registered" },
    withheldFields: [],
  };
}
