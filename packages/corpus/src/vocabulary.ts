// The technical vocabulary of the corpus: paired Chinese/English phrases by domain, and the
// Zipf tables the generators draw from. The domain data lives in vocabulary-*.ts; this file
// declares its shape, adds the phrases shared by all domains, and builds the tables once.

import { WeightedTable, zipf } from "./prng.js";
import { BATTERY, GRAPHENE, NEW_ENERGY_VEHICLE, PHOTOVOLTAIC } from "./vocabulary-energy.js";
import { ARTIFICIAL_INTELLIGENCE, DRONE, SEMICONDUCTOR, TELECOM } from "./vocabulary-ict.js";
import { CHEMICAL, CONSTRUCTION, ENVIRONMENT, ROBOTICS } from "./vocabulary-industry.js";
import { AGRICULTURE, BIOTECH, FOOD, MEDICAL_DEVICE, TRADITIONAL_CHINESE_MEDICINE } from "./vocabulary-life.js";

/** A phrase and its translation, which say the same thing: `["石墨烯", "graphene"]`. */
export type Term = readonly [zh: string, en: string];

/**
 * The raw vocabulary of one technical domain. Lists run from the most to the least common
 * entry. English `steps` and `methodSteps` are gerunds ("mixing the raw materials"), `effects`
 * are third-person verb phrases ("improves the energy density of the battery"), `problems`
 * noun phrases, `techs` read after "based on" (with their article where English needs one).
 */
export interface DomainData {
  /** Stable key (`battery`), also written to `extra.corpus_domain`. */
  readonly key: string;
  /** Name of the technical field, for "技术领域" sentences. */
  readonly label: Term;
  /** Relative share of patents in this domain. */
  readonly weight: number;
  /** Industry words for company names (`新能源` in 某某新能源科技有限公司). */
  readonly industries: readonly string[];
  /** University kinds that file in this domain (`理工大学`, `中医药大学`). */
  readonly universityTypes: readonly string[];
  /** A Chinese and an English journal of the field, for non-patent citations. */
  readonly journals: Term;
  /** IPC symbols, most common first; each entry is `[ipc, ...extra CPC symbols]`. */
  readonly ipc: readonly (readonly string[])[];
  /** Adjectives or materials put before an object (`石墨烯` 复合电极材料). */
  readonly modifiers: readonly Term[];
  /** Materials and compositions (titles "…及其制备方法"). May be empty. */
  readonly materials: readonly Term[];
  /** Apparatus, devices and systems (the only objects of utility models). */
  readonly devices: readonly Term[];
  /** Method nouns (`荷电状态估算` → "…方法"). */
  readonly processes: readonly Term[];
  /** What an object is for (`用于锂离子电池的…`). */
  readonly purposes: readonly Term[];
  /** Techniques a method is based on (`基于深度学习的…`). */
  readonly techs: readonly Term[];
  /** Raw materials of compositions, for "parts by weight" claims. May be empty. */
  readonly ingredients: readonly Term[];
  /** Components of devices. */
  readonly parts: readonly Term[];
  /** Preparation steps of materials. May be empty. */
  readonly steps: readonly Term[];
  /** Steps of methods (data acquisition, control...). */
  readonly methodSteps: readonly Term[];
  /** Technical effects. */
  readonly effects: readonly Term[];
  /** Shortcomings of the prior art. */
  readonly problems: readonly Term[];
  /** Application fields (`新能源汽车`). */
  readonly fields: readonly Term[];
  /** Short search terms that occur in the phrases above; queries draw from them. */
  readonly keywords: readonly Term[];
}

/** A domain with Zipf tables over each of its lists, ready to draw from. */
export interface Domain {
  /** Position in {@link DOMAINS}. */
  readonly index: number;
  /** The raw lists. */
  readonly data: DomainData;
  /** Zipf table over `modifiers`. */
  readonly modifiers: WeightedTable<Term>;
  /** Zipf table over `materials`; undefined where the domain has none. */
  readonly materials: WeightedTable<Term> | undefined;
  /** Zipf table over `devices`. */
  readonly devices: WeightedTable<Term>;
  /** Zipf table over `processes`. */
  readonly processes: WeightedTable<Term>;
  /** Zipf table over `purposes`. */
  readonly purposes: WeightedTable<Term>;
  /** Zipf table over `techs`, followed by techniques common to all domains. */
  readonly techs: WeightedTable<Term>;
  /** Zipf table over `ingredients`; undefined where the domain has none. */
  readonly ingredients: WeightedTable<Term> | undefined;
  /** Zipf table over `parts`. */
  readonly parts: WeightedTable<Term>;
  /** Zipf table over `steps`; undefined where the domain has none. */
  readonly steps: WeightedTable<Term> | undefined;
  /** Zipf table over `methodSteps`. */
  readonly methodSteps: WeightedTable<Term>;
  /** Zipf table over `effects`. */
  readonly effects: WeightedTable<Term>;
  /** Zipf table over `problems`. */
  readonly problems: WeightedTable<Term>;
  /** Zipf table over `fields`. */
  readonly fields: WeightedTable<Term>;
  /** Zipf table over `keywords` (flatter, exponent 0.8). */
  readonly keywords: WeightedTable<Term>;
  /** IPC entries, Zipf-weighted. */
  readonly ipc: WeightedTable<readonly string[]>;
  /** Parameters of the domain's methods (data or physical). */
  readonly methodParameters: readonly Parameter[];
}

/** Effects any invention may claim, beside its domain's own. */
export const GENERIC_EFFECTS: readonly Term[] = [
  ["结构简单", "has a simple structure"],
  ["成本低廉", "has a low cost"],
  ["操作简便", "is easy to operate"],
  ["易于推广应用", "is easy to popularize and apply"],
  ["适合工业化生产", "is suitable for industrial production"],
  ["使用寿命长", "has a long service life"],
  ["安装方便", "is easy to install"],
];

/** How two components are connected: zh before 连接, en after "is connected with the B". */
export const CONNECTIONS: readonly Term[] = [
  ["通过螺栓", "by bolts"],
  ["通过导线", "through a wire"],
  ["焊接", "by welding"],
  ["通过管道", "through a pipeline"],
  ["通过卡扣", "by a snap-fit"],
  ["电性", "electrically"],
  ["通过铰链", "by a hinge"],
  ["可拆卸地", "detachably"],
];

/** Where one component sits on another: zh after 设置于所述B的, en before "the B". */
export const POSITIONS: readonly Term[] = [
  ["顶部", "on the top of"],
  ["底部", "at the bottom of"],
  ["一侧", "on one side of"],
  ["内部", "inside"],
  ["外侧", "on the outer side of"],
  ["上方", "above"],
  ["两端", "at both ends of"],
];

/** A process parameter: name, unit, typical lower and upper bound. */
export type Parameter = readonly [zh: string, en: string, unit: string, lo: number, hi: number];

/** Parameters of physical and chemical processes (preparation methods, treatments). */
export const PHYSICAL_PARAMETERS: readonly Parameter[] = [
  ["温度", "temperature", "℃", 20, 900],
  ["时间", "time", "h", 1, 48],
  ["压力", "pressure", "MPa", 1, 30],
  ["转速", "rotation speed", "r/min", 100, 3000],
  ["pH值", "pH value", "", 3, 11],
  ["功率", "power", "W", 50, 2000],
];

/** Parameters of measuring, control and data-processing methods. */
export const DATA_PARAMETERS: readonly Parameter[] = [
  ["采样频率", "sampling frequency", "Hz", 1, 1000],
  ["采样周期", "sampling period", "ms", 10, 1000],
  ["时间窗口长度", "time window length", "s", 1, 60],
  ["迭代次数", "number of iterations", "", 10, 500],
  ["预设阈值", "preset threshold", "%", 5, 95],
];

/** Domains whose methods measure, control or compute rather than transform matter. */
const DATA_METHOD_DOMAINS: ReadonlySet<string> = new Set(["battery", "telecom", "nev", "drone", "ai", "photovoltaic", "medical", "robotics"]);

/** Every domain, in a fixed order (the order is part of the determinism guarantee). */
export const DOMAIN_DATA: readonly DomainData[] = [
  BATTERY,
  GRAPHENE,
  TELECOM,
  TRADITIONAL_CHINESE_MEDICINE,
  AGRICULTURE,
  SEMICONDUCTOR,
  NEW_ENERGY_VEHICLE,
  BIOTECH,
  DRONE,
  ARTIFICIAL_INTELLIGENCE,
  PHOTOVOLTAIC,
  MEDICAL_DEVICE,
  CHEMICAL,
  FOOD,
  ROBOTICS,
  CONSTRUCTION,
  ENVIRONMENT,
];

function optionalZipf(items: readonly Term[]): WeightedTable<Term> | undefined {
  return items.length === 0 ? undefined : zipf(items);
}

/** Techniques any domain's inventions may be "based on". */
const COMMON_TECHS: readonly Term[] = [
  ["深度学习", "deep learning"],
  ["物联网", "the Internet of Things"],
  ["大数据", "big data"],
];

/** Every domain with its tables, in {@link DOMAIN_DATA} order. */
export const DOMAINS: readonly Domain[] = DOMAIN_DATA.map((data, index) => ({
  index,
  data,
  modifiers: zipf(data.modifiers),
  materials: optionalZipf(data.materials),
  devices: zipf(data.devices),
  processes: zipf(data.processes),
  purposes: zipf(data.purposes),
  techs: zipf([...data.techs, ...COMMON_TECHS.filter((t) => !data.techs.some((d) => d[0] === t[0]))]),
  ingredients: optionalZipf(data.ingredients),
  parts: zipf(data.parts),
  steps: optionalZipf(data.steps),
  methodSteps: zipf(data.methodSteps),
  effects: zipf(data.effects),
  problems: zipf(data.problems),
  fields: zipf(data.fields),
  keywords: zipf(data.keywords, 0.8),
  ipc: zipf(data.ipc, 1.2),
  methodParameters: DATA_METHOD_DOMAINS.has(data.key) ? DATA_PARAMETERS : PHYSICAL_PARAMETERS,
}));

/** Domains weighted by their share of patents. */
export const DOMAIN_TABLE: WeightedTable<Domain> = new WeightedTable(
  DOMAINS,
  DOMAINS.map((d) => d.data.weight),
);

/** The domain with a given key, or undefined. */
export function domainByKey(key: string): Domain | undefined {
  return DOMAINS.find((d) => d.data.key === key);
}
