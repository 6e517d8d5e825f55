import type { MemberKindName } from "../config/node-config.js";

/** A public service a demo member offers (`ipfed services set`). */
export interface DemoService {
  readonly id: string;
  readonly names: { readonly zh: string; readonly en: string };
  readonly descriptions: { readonly zh: string; readonly en: string };
  readonly channels: readonly string[];
  readonly hours: string;
}

/** A dataset of a demo member: a window of the generated corpus, with its catalogue entry. */
export interface DemoDataset {
  readonly id: string;
  readonly titles: { readonly zh: string; readonly en: string };
  readonly descriptions: { readonly zh: string; readonly en: string };
  /** First corpus index, as a share of the corpus size. */
  readonly from: number;
  /** End of the window (exclusive), as a share of the corpus size. */
  readonly to: number;
}

/** One member of the demo network. */
export interface DemoMember {
  readonly id: string;
  readonly kind: MemberKindName;
  readonly region: string;
  readonly names: { readonly zh: string; readonly en: string };
  /** The member it federates under. */
  readonly parent?: string;
  /** The highest tier its tokens may grant (its enrolment at the hub). */
  readonly maxTier: "registered" | "restricted";
  /** Datasets cut from the generated corpus. */
  readonly datasets: readonly DemoDataset[];
  readonly services: readonly DemoService[];
  /** True for the member that receives the USPTO grants, when there are any. */
  readonly uspto?: boolean;
}

/** The dataset id of the real USPTO grants in the demo. */
export const USPTO_DATASET = "uspto";

/** Catalogue entry of the USPTO dataset. */
export const USPTO_TITLES = {
  titles: { zh: "美国专利授权全文（样例）", en: "USPTO patent grants, full text (sample)" },
  descriptions: { zh: "美国专利商标局授权专利全文 XML 的样例，含权利要求与说明书。", en: "A sample of USPTO grant full-text XML, with claims and descriptions." },
} as const;

/** Seed of the demo's generated corpus: the same data on every machine. */
export const DEMO_SEED = 21;

/** Default number of generated records (before overlaps). */
export const DEFAULT_DEMO_SIZE = 2000;

/**
 * The demo network: a hub, two regional centres (Sichuan, Guangdong), a university TISC under
 * the Sichuan centre and a library outlet in Chengdu. The windows overlap on purpose:
 * 35–45 % of the corpus is held by both the Sichuan centre and the TISC, 85–100 % by both the
 * Guangdong centre and the library, so that a federated search shows records with two holders.
 *
 * @example
 * ```ts
 * for (const m of DEMO_MEMBERS) console.log(m.id, m.kind, m.region);
 * ```
 */
export const DEMO_MEMBERS: readonly DemoMember[] = [
  {
    id: "hub",
    kind: "hub",
    region: "100000",
    names: { zh: "国家知识产权公共服务枢纽", en: "National IP public-service hub" },
    maxTier: "restricted",
    datasets: [],
    services: [
      {
        id: "helpline",
        names: { zh: "知识产权公共服务热线", en: "IP public-service helpline" },
        descriptions: { zh: "解答专利、商标检索与公共服务网点的咨询。", en: "Answers questions on patent and trademark searches and on the network's service points." },
        channels: ["phone", "online"],
        hours: "Mon-Fri 08:30-17:30",
      },
    ],
  },
  {
    id: "sc-regional",
    kind: "regional",
    region: "510000",
    names: { zh: "四川省知识产权公共服务中心", en: "Sichuan IP Public Service Centre" },
    maxTier: "restricted",
    datasets: [
      {
        id: "sc-patents",
        titles: { zh: "四川省专利数据", en: "Sichuan patent data" },
        descriptions: { zh: "四川省申请人的发明、实用新型与外观设计专利。", en: "Inventions, utility models and designs of applicants in Sichuan." },
        from: 0,
        to: 0.45,
      },
    ],
    services: [
      {
        id: "search-desk",
        names: { zh: "专利检索咨询", en: "Patent search desk" },
        descriptions: { zh: "专业检索人员协助查新与专利检索。", en: "Search professionals help with novelty and patent searches." },
        channels: ["onsite", "online"],
        hours: "Mon-Fri 09:00-17:00",
      },
      {
        id: "ip-training",
        names: { zh: "知识产权培训", en: "IP training" },
        descriptions: { zh: "面向企业与高校的知识产权实务培训。", en: "Practical IP courses for companies and universities." },
        channels: ["onsite"],
        hours: "by appointment",
      },
    ],
  },
  {
    id: "gd-regional",
    kind: "regional",
    region: "440000",
    names: { zh: "广东省知识产权公共服务中心", en: "Guangdong IP Public Service Centre" },
    maxTier: "restricted",
    uspto: true,
    datasets: [
      {
        id: "gd-patents",
        titles: { zh: "广东省专利与商标数据", en: "Guangdong patents and trademarks" },
        descriptions: { zh: "广东省的专利、商标、地理标志与集成电路布图设计。", en: "Patents, trademarks, geographical indications and IC layouts in Guangdong." },
        from: 0.6,
        to: 1,
      },
    ],
    services: [
      {
        id: "ip-navigation",
        names: { zh: "产业专利导航", en: "Industry patent navigation" },
        descriptions: { zh: "为重点产业提供专利态势分析。", en: "Patent landscapes for key industries." },
        channels: ["online", "email"],
        hours: "Mon-Fri 09:00-18:00",
      },
    ],
  },
  {
    id: "scu-tisc",
    kind: "tisc",
    region: "510000",
    names: { zh: "四川大学技术与创新支持中心", en: "Sichuan University TISC" },
    parent: "sc-regional",
    maxTier: "registered",
    datasets: [
      {
        id: "scu-patents",
        titles: { zh: "四川大学专利成果", en: "Sichuan University patents" },
        descriptions: { zh: "四川大学及其合作单位的专利成果。", en: "Patents of Sichuan University and its partners." },
        from: 0.35,
        to: 0.6,
      },
    ],
    services: [
      {
        id: "tech-transfer",
        names: { zh: "技术转移咨询", en: "Technology-transfer advice" },
        descriptions: { zh: "协助科研人员评估与转化专利成果。", en: "Helps researchers assess and license their patents." },
        channels: ["onsite", "email"],
        hours: "Mon-Fri 09:00-17:00",
      },
    ],
  },
  {
    id: "cd-library",
    kind: "library",
    region: "510100",
    names: { zh: "成都图书馆", en: "Chengdu Library" },
    maxTier: "registered",
    datasets: [
      {
        id: "cd-collection",
        titles: { zh: "成都图书馆专利文献馆藏", en: "Chengdu Library patent collection" },
        descriptions: { zh: "馆藏专利文献与商标公告。", en: "Patent documents and trademark gazettes held by the library." },
        from: 0.85,
        to: 1,
      },
    ],
    services: [
      {
        id: "reading-room",
        names: { zh: "专利文献阅览室", en: "Patent reading room" },
        descriptions: { zh: "提供专利文献阅览与检索终端。", en: "Patent documents and search terminals for visitors." },
        channels: ["onsite"],
        hours: "Tue-Sun 09:00-20:30",
      },
    ],
  },
];

/**
 * The corpus window `[start, end)` of a dataset for a corpus of `size` records.
 *
 * @example
 * ```ts
 * windowOf({ from: 0.35, to: 0.6 } as DemoDataset, 2000); // [700, 1200]
 * ```
 */
export function windowOf(dataset: Pick<DemoDataset, "from" | "to">, size: number): readonly [start: number, end: number] {
  return [Math.round(dataset.from * size), Math.round(dataset.to * size)];
}
