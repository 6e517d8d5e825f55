// Record page: every field the signed-in tier may see; fields the member withheld are shown
// as withheld, with the tier they need.
import { getJson } from "../api.js";
import { h, mount } from "../dom.js";
import { t } from "../i18n.js";
import { who } from "../session.js";
import { errorBox, recordKind, when } from "./format.js";

/** The tier a withheld field path needs (the schema's defaults: see proto/ipfed/v1/record.proto). */
function tierOf(path) {
  const leaf = path.split(".").pop();
  if (["city", "state", "address", "postcode", "email", "phone"].includes(leaf)) return "restricted";
  if (/examination/i.test(path)) return "confidential";
  return "registered";
}

function texts(list) {
  return (list ?? []).map((x) => h("p", { lang: x.lang }, h("span", { class: "lang" }, x.lang), " ", x.text));
}

function parties(list) {
  return h(
    "ul",
    {},
    (list ?? []).map((p) =>
      h(
        "li",
        {},
        p.name,
        p.country ? ` (${p.country})` : "",
        [p.address, p.city, p.state, p.postcode].some(Boolean)
          ? h("span", { class: "address", "data-testid": "party-address" }, ` — ${[p.address, p.city, p.state, p.postcode].filter(Boolean).join(", ")}`)
          : "",
      ),
    ),
  );
}

/** Renders the record page for a canonical id. */
export function renderRecord(main, id) {
  mount(main, h("h1", {}, t("record.title"), " ", h("code", {}, id)), h("p", {}, t("loading")));
  let alive = true;
  getJson(`records/${encodeURIComponent(id)}`, { federate: true })
    .then(({ record: r, holders }) => {
      if (!alive) return;
      const withheld = r.withheldFields ?? [];
      const withheldTop = new Map();
      for (const p of withheld) {
        const top = p.split(".")[0];
        if (!withheldTop.has(top)) withheldTop.set(top, []);
        withheldTop.get(top).push(p);
      }
      const row = (key, field, value) => {
        const marks = withheldTop.get(field) ?? [];
        const full = marks.includes(field);
        const hasValue = Array.isArray(value) ? value.length > 0 : Boolean(value);
        if (!hasValue && !full && marks.length === 0) return null;
        return h(
          "tr",
          { "data-testid": `field-${field}`, "data-withheld": full ? "true" : "false" },
          h("th", { scope: "row" }, t(`field.${key}`)),
          h(
            "td",
            {},
            full
              ? h("span", { class: "withheld", "data-testid": "withheld-field", "data-field": field, "data-tier": tierOf(field) }, t("record.withheldNeeds", { tier: tierOf(field) }))
              : value,
            !full && marks.length
              ? marks.map((p) => h("p", { class: "withheld", "data-testid": "withheld-field", "data-field": p, "data-tier": tierOf(p) }, `${p}: ${t("record.withheldNeeds", { tier: tierOf(p) })}`))
              : "",
          ),
        );
      };
      const tier = who()?.tier ?? "public";
      mount(
        main,
        h("h1", {}, t("record.title"), " ", h("code", { "data-testid": "record-id" }, r.id)),
        h("p", { class: "muted", "data-testid": "record-tier" }, t("record.tierNote", { tier })),
        h(
          "table",
          { class: "record", "data-testid": "record" },
          h(
            "tbody",
            {},
            row("kind", "kind", recordKind(r.kind)),
            row("publicationNumber", "publicationNumber", r.publicationNumber),
            row("publicationDate", "publicationDate", r.publicationDate),
            row("applicationNumber", "applicationNumber", r.applicationNumber),
            row("applicationDate", "applicationDate", r.applicationDate),
            row("titles", "titles", texts(r.titles)),
            row("abstracts", "abstracts", texts(r.abstracts)),
            row("applicants", "applicants", r.applicants?.length ? parties(r.applicants) : null),
            row("inventors", "inventors", r.inventors?.length ? parties(r.inventors) : null),
            row("owners", "owners", r.owners?.length ? parties(r.owners) : null),
            row("agents", "agents", r.agents?.length ? parties(r.agents) : null),
            row("ipc", "ipc", (r.ipc ?? []).join("; ")),
            row("cpc", "cpc", (r.cpc ?? []).join("; ")),
            row("familyId", "familyId", r.familyId),
            row("claims", "claims", r.claims?.length ? h("ol", {}, r.claims.map((c) => h("li", { lang: c.lang }, c.text))) : null),
            row("descriptions", "descriptions", texts(r.descriptions)),
            row("legalEvents", "legalEvents", r.legalEvents?.length ? h("ul", {}, r.legalEvents.map((e) => h("li", {}, `${e.date} ${e.category} ${e.code} ${e.description ?? ""}`))) : null),
            row("dataset", "datasetId", r.datasetId),
          ),
        ),
        h("h2", {}, t("record.holders")),
        h("p", { "data-testid": "record-holders", "data-holders": (holders ?? []).join(",") }, (holders ?? []).map((m, i) => [i ? ", " : "", h("code", {}, m)])),
        h("h2", {}, t("record.provenance")),
        h("p", { "data-testid": "record-provenance" }, h("code", {}, r.provenance?.memberId ?? ""), ` · v${r.provenance?.version ?? ""} · ${when(r.provenance?.updatedTime)} · ${r.provenance?.source ?? ""}`),
        h("h2", {}, t("record.withheldList")),
        h(
          "ul",
          { "data-testid": "withheld-list" },
          withheld.length ? withheld.map((p) => h("li", { "data-field": p }, h("code", {}, p), " — ", t("record.withheldNeeds", { tier: tierOf(p) }))) : h("li", { class: "muted" }, t("none")),
        ),
      );
    })
    .catch((err) => alive && mount(main, h("h1", {}, t("record.title"), " ", h("code", {}, id)), errorBox(err)));
  return () => {
    alive = false;
  };
}
