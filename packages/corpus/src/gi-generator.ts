// Geographical indications: a local product of a Chinese city (`赣州脐橙`, "Ganzhou Navel
// Orange"), its protected area with GB/T 2260 region codes, the producer association that
// applied, and the filing → announcement → approval sequence. The publication year is encoded
// in the GI number (layout.ts), so it is read from there.

import { RecordKind } from "@ipfed/proto";
import type { LegalEvent, Record } from "@ipfed/proto";
import { dayInYear, FIRST_DAY, isoDate, isoTimestamp, LAST_DAY } from "./dates.js";
import type { RecordIdentity } from "./identity.js";
import { encodedYear } from "./layout.js";
import { unifiedSocialCreditCode } from "./names.js";
import type { CorpusContext } from "./options.js";
import { emptyParty } from "./parties.js";
import { WeightedTable } from "./prng.js";
import { CITY_TABLE, landline, postcodeIn, provinceCode, streetAddress } from "./regions.js";
import { STREAM, streamRng } from "./streams.js";
import { capitalize, pad } from "./text.js";

// zh, en, quality zh, quality en
const PRODUCTS: readonly (readonly [string, string, string, string])[] = [
  ["脐橙", "navel orange", "果大形正、橙红鲜艳、肉质脆嫩", "large, well-shaped fruit with bright orange-red peel and crisp, tender flesh"],
  ["蜜桔", "tangerine", "皮薄肉嫩、汁多味甜", "a thin peel, tender flesh and a sweet, juicy taste"],
  ["绿茶", "green tea", "外形扁平挺直、色泽翠绿、香气清高", "flat, straight leaves, an emerald colour and a fresh, lasting aroma"],
  ["红茶", "black tea", "条索紧细、汤色红艳、滋味醇厚", "tight, fine strips, a bright red liquor and a mellow taste"],
  ["大米", "rice", "米粒细长、晶莹剔透、食味香甜", "long, translucent grains with a sweet, fragrant taste"],
  ["枸杞", "goji berry", "粒大色红、肉厚籽少、味甜", "large red berries with thick flesh, few seeds and a sweet taste"],
  ["火腿", "ham", "色泽鲜艳、红白分明、香气浓郁", "a bright colour, distinct lean and fat and a rich aroma"],
  ["香醋", "aromatic vinegar", "色泽红褐、酸而不涩、香而微甜", "a reddish-brown colour and a sourness that is fragrant and slightly sweet"],
  ["白酒", "baijiu", "窖香浓郁、绵甜爽净、回味悠长", "a rich cellar aroma, mellow sweetness and a long finish"],
  ["蜂蜜", "honey", "色泽浅琥珀、质地浓稠、花香明显", "a light amber colour, a thick texture and a distinct floral aroma"],
  ["核桃", "walnut", "壳薄仁满、出仁率高、香味浓", "thin shells, full kernels and a strong flavour"],
  ["辣椒", "chili pepper", "色泽红亮、辣味适中、香味浓郁", "a bright red colour, moderate pungency and a rich aroma"],
  ["大闸蟹", "hairy crab", "青背白肚、金爪黄毛、肉质鲜美", "a green back, a white belly, golden claws and delicious meat"],
  ["人参", "ginseng", "根形完整、芦长体灵、皂苷含量高", "intact roots, long rhizomes and a high ginsenoside content"],
  ["牦牛肉", "yak meat", "肉质细嫩、色泽鲜红、脂肪含量低", "tender, bright red meat with a low fat content"],
  ["丝绸", "silk", "质地轻薄、光泽柔和、手感滑爽", "a light, thin fabric with a soft lustre and a smooth hand"],
  ["瓷器", "porcelain", "胎质细腻、釉色温润、造型典雅", "a fine body, a mellow glaze and elegant shapes"],
  ["莲藕", "lotus root", "藕节粗壮、肉质脆嫩、淀粉含量高", "thick segments, crisp, tender flesh and a high starch content"],
  ["小米", "millet", "粒小色黄、米油丰富、熬粥香浓", "small yellow grains that make a fragrant porridge"],
  ["苹果", "apple", "果形端正、色泽鲜艳、脆甜多汁", "a regular shape, a bright colour and crisp, sweet, juicy flesh"],
];

const PROTECTION = new WeightedTable(["sui_generis", "collective_mark", "certification_mark"], [50, 25, 25]);
const ASSOCIATIONS = ["产业协会", "协会", "行业协会", "产业发展促进会"];

function titleCase(text: string): string {
  return text.split(" ").map(capitalize).join(" ");
}

/** Generates the geographical-indication record of an identity. */
export function generateGeographicalIndication(ctx: CorpusContext, identity: RecordIdentity): Record {
  const index = identity.plan.index;
  const rng = streamRng(ctx, STREAM.content, index);
  const city = rng.weighted(CITY_TABLE);
  const [productZh, productEn, qualityZh, qualityEn] = rng.pick(PRODUCTS);
  const nameZh = city.short + productZh;
  const nameEn = titleCase(`${city.en} ${productEn}`);
  const counties = rng.range(1, 6);
  const townships = counties * rng.range(3, 12);
  const municipality = city.province === city.name;
  const areaZh = `${municipality ? "" : city.province}${city.name}${city.districts.slice(0, Math.min(counties, city.districts.length)).join("、")}等${counties}个县（市、区）的${townships}个乡镇`;
  const areaEn = `${townships} townships in ${counties} counties and districts of ${city.en}${municipality ? "" : `, ${city.provinceEn}`}`;
  const regionCodes = [city.code];
  while (regionCodes.length <= Math.min(counties, 3)) {
    const code = `${city.code.slice(0, 4)}${pad(rng.range(2, 29), 2)}`;
    if (!regionCodes.includes(code)) regionCodes.push(code);
  }
  regionCodes.sort();
  const producerGroup = `${city.short}${productZh}${rng.pick(ASSOCIATIONS)}`;
  const applicant = emptyParty(producerGroup, "CN", false, 1);
  applicant.city = city.name;
  applicant.state = city.province;
  applicant.address = streetAddress(rng, city, false);
  applicant.postcode = postcodeIn(rng, city);
  applicant.phone = landline(rng, city);
  applicant.identifier = unifiedSocialCreditCode(rng, city, "51");

  const year = encodedYear(identity.plan);
  const publicationDay = dayInYear(rng, year);
  const applicationDay = Math.max(FIRST_DAY, publicationDay - rng.range(120, 400));
  const approvalDay = publicationDay + rng.range(90, 200);
  const events: LegalEvent[] = [
    { date: isoDate(applicationDay), category: "A", code: "GI01", description: "地理标志产品保护申请受理", country: "CN" },
    { date: isoDate(publicationDay), category: "B", code: "GI02", description: "地理标志产品保护申请公告", country: "CN" },
  ];
  const approved = approvalDay <= LAST_DAY;
  if (approved) events.push({ date: isoDate(approvalDay), category: "E", code: "GI03", description: "批准地理标志产品保护", country: "CN" });

  return {
    id: identity.id,
    kind: RecordKind.RECORD_KIND_GEOGRAPHICAL_INDICATION,
    datasetId: ctx.datasetId,
    publicationNumber: "",
    country: "CN",
    docNumber: identity.docNumber,
    kindCode: identity.kindCode,
    publicationDate: isoDate(publicationDay),
    applicationNumber: identity.docNumber.slice(2),
    applicationDate: isoDate(applicationDay),
    titles: [
      { lang: "zh", text: nameZh },
      { lang: "en", text: nameEn },
    ],
    abstracts: [
      { lang: "zh", text: `${nameZh}产于${municipality ? "" : city.province}${city.name}，具有${qualityZh}的特点。` },
      { lang: "en", text: `${nameEn} is produced in ${city.en}${municipality ? "" : `, ${city.provinceEn}`}, and is characterized by ${qualityEn}.` },
    ],
    claims: [],
    descriptions: [],
    applicants: [applicant],
    inventors: [],
    owners: approved ? [{ ...applicant }] : [],
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
      $case: "geographicalIndication",
      value: {
        product: [
          { lang: "zh", text: nameZh },
          { lang: "en", text: nameEn },
        ],
        protectedArea: [
          { lang: "zh", text: areaZh },
          { lang: "en", text: areaEn },
        ],
        producerGroup,
        regionCodes,
        protectionType: rng.weighted(PROTECTION),
      },
    },
    examinationNotes: [],
    accessTier: 0,
    provenance: {
      memberId: ctx.memberId,
      updatedTime: isoTimestamp(approved ? approvalDay : publicationDay),
      version: 1,
      source: `corpus:seed=${ctx.seed}#${index}`,
    },
    extra: { region: provinceCode(city), legal_status: approved ? "protected" : "pending" },
    withheldFields: [],
  };
}
