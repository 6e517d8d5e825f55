// Network view: indicator tiles, then a grid of regions (national first), each listing its
// members grouped by kind, with status, datasets, records and last seen.
import { getJson } from "../api.js";
import { h, mount } from "../dom.js";
import { currentLang, localized, t } from "../i18n.js";
import { regionKey, regionName } from "../regions.js";
import { errorBox, kindKey, num, when } from "./format.js";

const KIND_ORDER = ["hub", "regional", "local", "tisc", "university", "library", "other"];

function tile(id, label, value) {
  return h("div", { class: "tile", "data-testid": `indicator-${id}` }, h("span", { class: "tile-value" }, value), h("span", { class: "tile-label" }, label));
}

function memberCard(m) {
  const kind = kindKey(m.kind);
  const health = m.health ?? "MEMBER_HEALTH_UNSPECIFIED";
  return h(
    "article",
    { class: `member health-${health.replace("MEMBER_HEALTH_", "").toLowerCase()}`, "data-testid": "member-card", "data-member-id": m.id, "data-kind": kind, "data-health": health },
    h("h4", {}, h("span", { class: "dot", "aria-hidden": "true" }), localized(m.names) || m.id),
    h("p", { class: "muted" }, h("code", {}, m.id), " · ", h("span", { "data-testid": "member-kind" }, t(`kind.${kind}`))),
    h(
      "dl",
      {},
      h("dt", {}, t("member.status")),
      h("dd", { "data-testid": "member-status" }, t(`health.${health}`)),
      h("dt", {}, t("member.datasets")),
      h("dd", { "data-testid": "member-datasets" }, num(m.catalogue?.datasetCount ?? 0)),
      h("dt", {}, t("member.records")),
      h("dd", { "data-testid": "member-records" }, num(m.catalogue?.recordCount ?? 0)),
      h("dt", {}, t("member.lastSeen")),
      h("dd", {}, when(m.lastSeen)),
    ),
  );
}

/** Renders the network view. */
export function renderNetwork(main) {
  mount(main, h("h1", {}, t("network.title")), h("p", { "data-testid": "loading" }, t("loading")));
  let alive = true;
  getJson("network")
    .then((net) => {
      if (!alive) return;
      const ind = net.indicators;
      const regions = new Map();
      for (const m of net.members) {
        const key = regionKey(m.region);
        if (!regions.has(key)) regions.set(key, []);
        regions.get(key).push(m);
      }
      const keys = [...regions.keys()].sort((a, b) => (a === "national" ? -1 : b === "national" ? 1 : a.localeCompare(b)));
      mount(
        main,
        h("h1", {}, t("network.title")),
        h("h2", {}, t("network.indicators")),
        h(
          "div",
          { class: "tiles", "data-testid": "indicators" },
          tile("members", t("ind.members"), num(ind.members)),
          tile("tiscs", t("ind.tiscs"), num(ind.tiscs)),
          tile("datasets", t("ind.datasets"), num(ind.datasets)),
          tile("records", t("ind.records"), num(ind.records)),
          tile("queries", t("ind.queries"), ind.queriesServed === null ? t("none") : num(ind.queriesServed)),
          tile("availability", t("ind.availability"), `${Math.round(ind.availability.ratio * 100)}% (${ind.availability.up}/${ind.availability.total})`),
        ),
        h(
          "p",
          { class: "kinds", "data-testid": "members-by-kind" },
          KIND_ORDER.filter((k) => ind.byKind[k]).map((k) => h("span", { class: "chip", "data-kind": k }, `${t(`kind.${k}`)}: ${ind.byKind[k]}`)),
        ),
        h("h2", {}, t("network.regions")),
        h(
          "div",
          { class: "region-grid", "data-testid": "region-grid" },
          keys.map((key) => {
            const members = regions.get(key);
            const name = key === "national" ? t("region.national") : regionName(key, currentLang()) ?? t("region.other", { code: key });
            const byKind = KIND_ORDER.filter((k) => members.some((m) => kindKey(m.kind) === k));
            return h(
              "section",
              { class: "region", "data-testid": "region", "data-region": key, "aria-label": name },
              h("h3", {}, name, " ", h("span", { class: "muted" }, key === "national" ? "" : `${key}0000`)),
              byKind.map((k) =>
                h(
                  "div",
                  { class: "kind-group", "data-kind": k },
                  h("h4", { class: "kind-title" }, t(`kind.${k}`)),
                  members.filter((m) => kindKey(m.kind) === k).map(memberCard),
                ),
              ),
            );
          }),
        ),
      );
    })
    .catch((err) => alive && mount(main, h("h1", {}, t("network.title")), errorBox(err)));
  return () => {
    alive = false;
  };
}
