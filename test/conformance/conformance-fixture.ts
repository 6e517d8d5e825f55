import { Dataset, PublicService, Record, RecordKind, Tier } from "@ipfed/proto";
import type { Party } from "@ipfed/proto";

/**
 * The member id the suite's server answers as; the fixture's publisher.
 *
 * @example
 * ```ts
 * SqliteDataSource.open(file, { memberId: CONFORMANCE_MEMBER_ID });
 * ```
 */
export const CONFORMANCE_MEMBER_ID = "conformance-member";

/**
 * The network id the suite's tokens are issued for.
 *
 * @example
 * ```ts
 * await verifyToken(token, { keys, audience: [CONFORMANCE_MEMBER_ID, CONFORMANCE_NETWORK_ID] });
 * ```
 */
export const CONFORMANCE_NETWORK_ID = "conformance-net";

function org(name: string, country: string, city: string, sequence = 1): Party {
  return { name, country, naturalPerson: false, city, state: "", address: "", postcode: "", email: "", phone: "", identifier: "", sequence };
}

function person(name: string, country: string, where: { city: string; state: string; address: string; postcode: string }, sequence = 1): Party {
  return { name, country, naturalPerson: true, ...where, email: "", phone: "", identifier: "", sequence };
}

interface RecordInit {
  id: string;
  kind: RecordKind;
  datasetId: string;
  pd: string;
  ad: string;
  appNo: string;
  zh?: [title: string, abstract: string];
  en: [title: string, abstract: string];
  claim?: [text: string, lang: string];
  applicants?: Party[];
  inventors?: Party[];
  ipc?: string[];
  nice?: number[];
  accessTier?: Tier;
}

function record(r: RecordInit): Record {
  const [country, docNumber, kindCode] = r.id.split("-") as [string, string, string];
  return Record.fromPartial({
    id: r.id,
    kind: r.kind,
    datasetId: r.datasetId,
    publicationNumber: `${country}${docNumber}${kindCode}`,
    country,
    docNumber,
    kindCode,
    publicationDate: r.pd,
    applicationNumber: r.appNo,
    applicationDate: r.ad,
    titles: [...(r.zh ? [{ lang: "zh", text: r.zh[0] }] : []), { lang: "en", text: r.en[0] }],
    abstracts: [...(r.zh ? [{ lang: "zh", text: r.zh[1] }] : []), { lang: "en", text: r.en[1] }],
    claims: r.claim ? [{ number: 1, text: r.claim[0], lang: r.claim[1], dependsOn: [] }] : [],
    applicants: r.applicants ?? [],
    inventors: r.inventors ?? [],
    ipc: r.ipc ?? [],
    nice: r.nice ?? [],
    accessTier: r.accessTier ?? Tier.TIER_UNSPECIFIED,
  });
}

const PATENT = RecordKind.RECORD_KIND_PATENT;
const UTILITY = RecordKind.RECORD_KIND_UTILITY_MODEL;
const DESIGN = RecordKind.RECORD_KIND_DESIGN;
const TRADEMARK = RecordKind.RECORD_KIND_TRADEMARK;

/**
 * The datasets of the fixture: two PUBLIC ones, and one a caller needs RESTRICTED to see at all.
 *
 * @example
 * ```ts
 * CONFORMANCE_DATASETS.map((d) => d.id); // ["patents", "trademarks", "pending"]
 * ```
 */
export const CONFORMANCE_DATASETS: readonly Dataset[] = [
  Dataset.fromPartial({
    id: "patents",
    titles: [{ lang: "zh", text: "专利文献馆藏" }, { lang: "en", text: "Patent documents held" }],
    descriptions: [{ lang: "en", text: "Chinese and US patent documents on batteries, tea and devices" }],
    publisher: CONFORMANCE_MEMBER_ID,
    kinds: [PATENT, UTILITY, DESIGN],
    licence: "CC-BY-4.0",
    tier: Tier.TIER_PUBLIC,
    coverage: { countries: [], dateFrom: "", dateTo: "", regions: ["440300"] },
    updateFrequency: "weekly",
  }),
  Dataset.fromPartial({
    id: "trademarks",
    titles: [{ lang: "zh", text: "商标" }, { lang: "en", text: "Trademarks" }],
    publisher: CONFORMANCE_MEMBER_ID,
    kinds: [TRADEMARK],
    licence: "CC-BY-4.0",
    tier: Tier.TIER_PUBLIC,
    coverage: { countries: [], dateFrom: "", dateTo: "", regions: [] },
    updateFrequency: "monthly",
  }),
  Dataset.fromPartial({
    id: "pending",
    titles: [{ lang: "zh", text: "待公开申请" }, { lang: "en", text: "Applications awaiting publication" }],
    publisher: CONFORMANCE_MEMBER_ID,
    kinds: [PATENT],
    licence: "",
    tier: Tier.TIER_RESTRICTED,
    coverage: { countries: [], dateFrom: "", dateTo: "", regions: [] },
    updateFrequency: "irregular",
  }),
];

/**
 * The records of the fixture, in the order they are loaded (which is the order of the change
 * log): bilingual titles and abstracts, organisations and natural persons with addresses
 * (personal data), several kinds, IPC and Nice classes, dates over three years, one record a
 * caller needs RESTRICTED to see, and two in the RESTRICTED dataset.
 *
 * @example
 * ```ts
 * CONFORMANCE_RECORDS.length; // 17
 * ```
 */
export const CONFORMANCE_RECORDS: readonly Record[] = [
  record({
    id: "CN-114122334-A", kind: PATENT, datasetId: "patents", pd: "2022-03-15", ad: "2021-09-10", appNo: "CN202111061234.5",
    zh: ["一种石墨烯复合锂离子电池负极材料及其制备方法", "本发明公开了一种石墨烯复合负极材料，首次库伦效率高，循环寿命长。"],
    en: ["Graphene composite anode material for lithium-ion battery and preparation method", "A graphene composite anode material with high first-cycle efficiency and long cycle life."],
    claim: ["一种石墨烯复合负极材料，其特征在于，包括硅碳内核和石墨烯包覆层。", "zh"],
    applicants: [org("深圳市华能新材料科技有限公司", "CN", "深圳")],
    inventors: [
      person("李明", "CN", { city: "深圳", state: "广东", address: "南山区科技园南路18号", postcode: "518057" }, 1),
      person("王芳", "CN", { city: "深圳", state: "广东", address: "福田区深南大道6008号", postcode: "518034" }, 2),
    ],
    ipc: ["H01M 4/583", "H01M 10/0525"],
  }),
  record({
    id: "CN-113987654-B", kind: PATENT, datasetId: "patents", pd: "2021-11-02", ad: "2020-12-01", appNo: "CN202011384567.1",
    zh: ["固态电解质薄膜及全固态锂电池", "一种硫化物固态电解质薄膜，离子电导率高，可用于全固态锂电池。"],
    en: ["Solid electrolyte film and all-solid-state lithium battery", "A sulfide solid electrolyte film of high ionic conductivity for all-solid-state cells."],
    claim: ["A solid electrolyte film comprising a sulfide electrolyte and a polymer binder.", "en"],
    applicants: [org("清华大学", "CN", "北京")],
    inventors: [person("张伟", "CN", { city: "北京", state: "北京", address: "海淀区清华园1号", postcode: "100084" })],
    ipc: ["H01M 10/0562", "H01M 10/052"],
  }),
  record({
    id: "CN-216543210-U", kind: UTILITY, datasetId: "patents", pd: "2022-06-21", ad: "2022-01-05", appNo: "CN202220012345.6",
    zh: ["一种电动汽车电池包散热装置", "散热装置包括液冷板和导热垫，降低电池包温差。"],
    en: ["Heat dissipation device for electric vehicle battery pack", "A liquid cooling plate with thermal pads evens out cell temperatures in the pack."],
    applicants: [org("比亚迪股份有限公司", "CN", "深圳")],
    inventors: [person("陈静", "CN", { city: "深圳", state: "广东", address: "坪山区比亚迪路3009号", postcode: "518118" })],
    ipc: ["H01M 10/613", "B60L 50/64"],
  }),
  record({
    id: "CN-306789012-S", kind: DESIGN, datasetId: "patents", pd: "2021-08-10", ad: "2021-03-02", appNo: "CN202130112233.4",
    zh: ["智能手表", "本外观设计产品为智能手表，用于显示时间和健康数据。"],
    en: ["Smart watch", "The product is a smart watch showing time and health data."],
    applicants: [org("华为技术有限公司", "CN", "深圳")],
    inventors: [person("刘洋", "CN", { city: "东莞", state: "广东", address: "松山湖园区新城大道2号", postcode: "523808" })],
  }),
  record({
    id: "US-11234567-B2", kind: PATENT, datasetId: "patents", pd: "2022-01-25", ad: "2019-07-30", appNo: "US16526789",
    en: ["Lithium battery with graphene-coated separator", "A separator coated with graphene platelets suppresses dendrite growth in lithium metal cells."],
    claim: ["A lithium battery comprising an anode, a cathode and a graphene-coated separator.", "en"],
    applicants: [org("Tesla, Inc.", "US", "Austin")],
    inventors: [person("Smith, John A.", "US", { city: "Palo Alto", state: "CA", address: "123 Main St", postcode: "94301" })],
    ipc: ["H01M 50/449", "H01M 10/0525"],
  }),
  record({
    id: "US-10987654-B1", kind: PATENT, datasetId: "patents", pd: "2021-06-01", ad: "2018-11-20", appNo: "US16195432",
    en: ["Tea processing robot with machine vision", "A robot arm sorts fresh tea leaves using a camera and a trained classifier."],
    applicants: [org("Agrobotics LLC", "US", "Fresno")],
    inventors: [person("Garcia, Maria", "US", { city: "Fresno", state: "CA", address: "77 Olive Ave", postcode: "93728" })],
    ipc: ["B25J 9/16", "G06T 7/00"],
  }),
  record({
    id: "CN-115000111-A", kind: PATENT, datasetId: "patents", pd: "2023-01-10", ad: "2022-09-28", appNo: "CN202211190876.2",
    zh: ["基于深度学习的茶叶品质检测方法", "利用卷积神经网络对茶叶图像进行分级。"],
    en: ["Tea quality detection method based on deep learning", "Tea leaf images are graded by a convolutional neural network."],
    applicants: [org("浙江大学", "CN", "杭州")],
    inventors: [person("周婷", "CN", { city: "杭州", state: "浙江", address: "西湖区余杭塘路866号", postcode: "310058" })],
    ipc: ["G06N 3/08", "G06T 7/00"],
  }),
  record({
    id: "CN-114555666-A", kind: PATENT, datasetId: "patents", pd: "2022-05-20", ad: "2021-12-15", appNo: "CN202111537654.0",
    zh: ["钠离子电池正极材料", "一种层状氧化物正极材料，成本低，倍率性能好。"],
    en: ["Cathode material for sodium-ion battery", "A layered oxide cathode material of low cost and good rate capability."],
    applicants: [org("宁德时代新能源科技股份有限公司", "CN", "宁德")],
    inventors: [person("吴强", "CN", { city: "宁德", state: "福建", address: "蕉城区漳湾镇新港路2号", postcode: "352100" })],
    ipc: ["H01M 4/36"],
  }),
  record({
    id: "CN-113111222-A", kind: PATENT, datasetId: "patents", pd: "2021-03-05", ad: "2020-10-10", appNo: "CN202011078901.3",
    zh: ["一种石墨烯散热膜", "石墨烯散热膜用于手机芯片散热。"],
    en: ["Graphene heat spreading film", "A graphene film spreads the heat of mobile phone chips."],
    applicants: [org("常州富烯科技股份有限公司", "CN", "常州")],
    inventors: [person("黄磊", "CN", { city: "常州", state: "江苏", address: "武进区西太湖大道8号", postcode: "213161" })],
    ipc: ["H05K 7/20"],
    accessTier: Tier.TIER_RESTRICTED,
  }),
  record({
    id: "CN-217000333-U", kind: UTILITY, datasetId: "patents", pd: "2022-09-09", ad: "2022-04-18", appNo: "CN202220901234.7",
    zh: ["一种茶叶揉捻机", "揉捻机设有可调压盖，揉捻均匀。"],
    en: ["Tea rolling machine", "A rolling machine with an adjustable pressure lid rolls leaves evenly."],
    applicants: [org("安溪县茶机厂", "CN", "泉州")],
    inventors: [person("林志强", "CN", { city: "泉州", state: "福建", address: "安溪县城厢镇经兜村", postcode: "362400" })],
    ipc: ["A23F 3/12"],
  }),
  record({
    id: "CN-114777888-A", kind: PATENT, datasetId: "patents", pd: "2022-07-07", ad: "2022-03-30", appNo: "CN202210334455.8",
    zh: ["锂电池回收方法", "通过湿法冶金从废旧锂电池中回收镍钴锰。"],
    en: ["Method for recycling lithium batteries", "Nickel, cobalt and manganese are recovered from spent cells by hydrometallurgy."],
    applicants: [org("格林美股份有限公司", "CN", "深圳")],
    inventors: [person("许开华", "CN", { city: "深圳", state: "广东", address: "宝安区宝安中心区兴华路", postcode: "518101" })],
    ipc: ["H01M 10/54", "C22B 7/00"],
  }),
  record({
    id: "CN-306111222-S", kind: DESIGN, datasetId: "patents", pd: "2022-02-14", ad: "2021-10-11", appNo: "CN202130665544.2",
    zh: ["电动自行车", "本外观设计产品为电动自行车。"],
    en: ["Electric bicycle", "The product is an electric bicycle for city commuting."],
    applicants: [org("雅迪科技集团有限公司", "CN", "无锡")],
  }),
  record({
    id: "CN-TM35012345-T", kind: TRADEMARK, datasetId: "trademarks", pd: "2021-05-14", ad: "2020-11-02", appNo: "35012345",
    zh: ["华能石墨", "文字商标。"], en: ["HUANENG GRAPHITE", "Word mark."],
    applicants: [org("深圳市华能新材料科技有限公司", "CN", "深圳")],
    nice: [1, 9],
  }),
  record({
    id: "CN-TM36054321-T", kind: TRADEMARK, datasetId: "trademarks", pd: "2022-04-28", ad: "2021-12-20", appNo: "36054321",
    zh: ["茶语", "文字及图形商标。"], en: ["TEA WHISPER", "Word and figurative mark."],
    applicants: [org("杭州茶语文化有限公司", "CN", "杭州")],
    nice: [30, 43],
  }),
  record({
    id: "CN-TM37099999-T", kind: TRADEMARK, datasetId: "trademarks", pd: "2023-02-01", ad: "2022-06-06", appNo: "37099999",
    zh: ["闪电充", "文字商标。"], en: ["FLASH CHARGE", "Word mark."],
    applicants: [org("比亚迪股份有限公司", "CN", "深圳")],
    nice: [9],
  }),
  record({
    id: "CN-118000001-A", kind: PATENT, datasetId: "pending", pd: "2024-01-12", ad: "2023-07-01", appNo: "CN202310801234.9",
    zh: ["石墨烯超级电容器电极", "一种三维多孔石墨烯电极，比电容高。"],
    en: ["Graphene supercapacitor electrode", "A three-dimensional porous graphene electrode with high specific capacitance."],
    applicants: [org("中国科学院宁波材料技术与工程研究所", "CN", "宁波")],
    inventors: [person("赵磊", "CN", { city: "宁波", state: "浙江", address: "镇海区中官西路1219号", postcode: "315201" })],
    ipc: ["H01G 11/36"],
  }),
  record({
    id: "CN-118000002-A", kind: PATENT, datasetId: "pending", pd: "2024-02-02", ad: "2023-08-15", appNo: "CN202311023456.1",
    zh: ["茶多酚提取工艺", "采用超声辅助提取茶多酚，得率高。"],
    en: ["Tea polyphenol extraction process", "Ultrasound-assisted extraction of tea polyphenols with high yield."],
    inventors: [person("孙丽", "CN", { city: "福州", state: "福建", address: "鼓楼区五四路158号", postcode: "350003" })],
    ipc: ["A23F 3/16"],
  }),
];

/**
 * The public service desks of the fixture.
 *
 * @example
 * ```ts
 * CONFORMANCE_SERVICES[0]!.id; // "patent-desk"
 * ```
 */
export const CONFORMANCE_SERVICES: readonly PublicService[] = [
  PublicService.fromPartial({
    id: "patent-desk",
    names: [{ lang: "zh", text: "专利检索咨询台" }, { lang: "en", text: "Patent search desk" }],
    channels: ["onsite", "phone"],
    hours: "Tue-Sun 09:00-17:00",
    contact: { name: "", email: "ip@example.org", phone: "+86-755-0000-0000", url: "", address: "" },
    memberId: CONFORMANCE_MEMBER_ID,
  }),
];

/**
 * The whole fixture a DataSource under test is loaded with.
 *
 * @example
 * ```ts
 * const { dataSource } = await adapter.open(CONFORMANCE_FIXTURE);
 * ```
 */
export const CONFORMANCE_FIXTURE = {
  datasets: CONFORMANCE_DATASETS,
  records: CONFORMANCE_RECORDS,
  services: CONFORMANCE_SERVICES,
} as const;

/** What the suite loads into a DataSource: datasets, records and service desks. */
export type ConformanceFixture = typeof CONFORMANCE_FIXTURE;
