// Legal-status events of patents, oldest first, with ST.27-style category letters: A filing,
// B publication, C search and examination (including refusal and deemed withdrawal), E grant,
// H cessation (lapse for unpaid fees, expiry of the term). Codes are the office's own: CNIPA-style
// codes for China (PB01, SE01, GR01, CF01...), mnemonic codes elsewhere. No event is later than
// 2024-12-31.

import type { LegalEvent } from "@ipfed/proto";
import { isoDate, LAST_DAY } from "./dates.js";
import type { RecordIdentity } from "./identity.js";
import type { Rng } from "./prng.js";
import type { PatentTimeline } from "./timeline.js";

/** The events of a patent and the status they leave it in. */
export interface PatentEvents {
  /** Events, oldest first. */
  readonly events: LegalEvent[];
  /** `pending`, `granted`, `withdrawn`, `rejected`, `lapsed` or `expired`. */
  readonly status: string;
  /** Day of the last event. */
  readonly lastDay: number;
}

type EventKind = "file" | "publish" | "examine" | "grant" | "lapse" | "expire" | "withdraw" | "reject";

const CATEGORY: Readonly<Record<EventKind, string>> = {
  file: "A",
  publish: "B",
  examine: "C",
  withdraw: "C",
  reject: "C",
  grant: "E",
  lapse: "H",
  expire: "H",
};

const CN_CODES: Readonly<Record<EventKind, readonly [string, string]>> = {
  file: ["AP01", "专利申请受理"],
  publish: ["PB01", "公布"],
  examine: ["SE01", "实质审查的生效"],
  grant: ["GR01", "授权"],
  lapse: ["CF01", "未缴年费专利权终止"],
  expire: ["EXPY", "专利权有效期届满"],
  withdraw: ["WD01", "发明专利申请公布后的视为撤回"],
  reject: ["RJ01", "发明专利申请公布后的驳回"],
};

const OTHER_CODES: Readonly<Record<EventKind, readonly [string, string]>> = {
  file: ["FILE", "Application filed"],
  publish: ["PUBL", "Publication of the application"],
  examine: ["EXAM", "Request for examination filed"],
  grant: ["GRNT", "Patent granted"],
  lapse: ["LAPS", "Patent lapsed for non-payment of fees"],
  expire: ["EXPY", "Patent expired"],
  withdraw: ["WDRN", "Application deemed withdrawn"],
  reject: ["REFU", "Application refused"],
};

/**
 * The legal events of a patent, from its identity and dates. Applications may be examined,
 * granted, refused or withdrawn later; grants may lapse or expire (20 years for inventions,
 * 10 for utility models).
 */
export function patentEvents(rng: Rng, identity: RecordIdentity, timeline: PatentTimeline): PatentEvents {
  const country = identity.country;
  const codes = country === "CN" ? CN_CODES : OTHER_CODES;
  const events: LegalEvent[] = [];
  let lastDay = timeline.applicationDay;
  const add = (kind: EventKind, day: number): void => {
    const [code, description] = codes[kind];
    events.push({ date: isoDate(day), category: CATEGORY[kind], code, description, country });
    lastDay = day;
  };
  const app = timeline.applicationDay;
  const pub = timeline.publicationDay;
  add("file", app);
  if (pub < 0) return { events, status: "pending", lastDay };

  const category = identity.plan.category;
  const utility = category === "cn-utility";
  const grantedDocument = /^[BU]/.test(identity.kindCode);
  let status = "pending";
  let grantDay = -1;

  if (utility) {
    add("grant", pub);
    grantDay = pub;
  } else if (grantedDocument) {
    // A grant: the application was published about 18 months after filing, examined, granted.
    const early = app + rng.range(540, 600);
    if (!(category === "us-grant" && identity.kindCode === "B1")) add("publish", Math.min(early, pub - 30));
    if (category !== "us-grant") add("examine", Math.min(early + rng.range(0, 120), pub - 20));
    add("grant", pub);
    grantDay = pub;
  } else {
    add("publish", pub);
    if (category === "wo") return { events, status, lastDay };
    const examined = rng.chance(0.85);
    const examDay = pub + rng.range(0, 200);
    if (examined && category !== "us-application" && examDay <= LAST_DAY) add("examine", examDay);
    const decisionDay = app + rng.range(900, 1600);
    const u = rng.float();
    if (!examined) {
      // No request for examination within three years: deemed withdrawn.
      const withdrawDay = Math.max(decisionDay, app + 3 * 365 + 30);
      if (withdrawDay <= LAST_DAY) {
        add("withdraw", withdrawDay);
        status = "withdrawn";
      }
    } else if (decisionDay <= LAST_DAY && decisionDay > Math.max(pub, examDay)) {
      if (u < 0.72) {
        add("grant", decisionDay);
        grantDay = decisionDay;
      } else {
        add("reject", decisionDay);
        status = "rejected";
      }
    }
  }

  if (grantDay >= 0) {
    status = "granted";
    const term = utility ? 10 : 20;
    const expiryDay = app + Math.round(term * 365.25);
    const lapseDay = grantDay + rng.range(365, 8 * 365);
    if (rng.chance(utility ? 0.4 : 0.3) && lapseDay <= LAST_DAY && lapseDay < expiryDay) {
      add("lapse", lapseDay);
      status = "lapsed";
    } else if (expiryDay <= LAST_DAY) {
      add("expire", expiryDay);
      status = "expired";
    }
  }
  return { events, status, lastDay: Math.max(pub, lastDay) };
}
