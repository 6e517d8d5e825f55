// Catalogue: every dataset and public service across the network, and how each member answered.
import { getJson } from "../api.js";
import { h, mount } from "../dom.js";
import { localized, t } from "../i18n.js";
import { errorBox, num, recordKind, tierKey, when } from "./format.js";

/** Renders the catalogue page. */
export function renderCatalogue(main) {
  mount(main, h("h1", {}, t("cat.title")), h("p", {}, t("loading")));
  let alive = true;
  getJson("catalogue")
    .then((cat) => {
      if (!alive) return;
      mount(
        main,
        h("h1", {}, t("cat.title")),
        h(
          "p",
          { class: "kinds", "data-testid": "catalogue-members" },
          h("span", {}, `${t("cat.states")}: `),
          cat.members.map((m) => h("span", { class: `chip state-${m.state.toLowerCase()}`, "data-member-id": m.memberId, "data-state": m.state, title: m.message ?? "" }, `${m.memberId}: ${m.state}`)),
        ),
        h("h2", {}, t("cat.datasets")),
        h(
          "table",
          { class: "grid", "data-testid": "datasets" },
          h(
            "thead",
            {},
            h("tr", {}, ["cat.datasets", "cat.member", "cat.kinds", "cat.records", "cat.tier", "cat.licence", "cat.updated", "cat.download"].map((k) => h("th", { scope: "col" }, t(k)))),
          ),
          h(
            "tbody",
            {},
            cat.datasets.map((d) =>
              h(
                "tr",
                { "data-testid": "dataset", "data-member-id": d.memberId, "data-dataset-id": d.id },
                h("td", {}, h("strong", {}, localized(d.titles) || d.id), h("br"), h("code", {}, d.id)),
                h("td", {}, h("code", {}, d.memberId)),
                h("td", {}, (d.kinds ?? []).map(recordKind).join(", ")),
                h("td", { class: "num", "data-testid": "dataset-records" }, num(d.recordCount ?? 0)),
                h("td", {}, tierKey(d.tier)),
                h("td", {}, d.licence ?? ""),
                h("td", {}, when(d.updatedTime)),
                h("td", {}, h("a", { href: `#/download/${encodeURIComponent(`${d.memberId}/${d.id}`)}` }, t("cat.download"))),
              ),
            ),
          ),
        ),
        h("h2", {}, t("cat.services")),
        h(
          "div",
          { class: "services", "data-testid": "services" },
          cat.services.map((s) =>
            h(
              "article",
              { class: "service", "data-testid": "service", "data-member-id": s.memberId, "data-service-id": s.id },
              h("h3", {}, localized(s.names) || s.id),
              h("p", { class: "muted" }, h("code", {}, s.memberId)),
              h("p", {}, localized(s.descriptions)),
              h(
                "dl",
                {},
                h("dt", {}, t("cat.channels")),
                h("dd", {}, (s.channels ?? []).join(", ") || t("none")),
                h("dt", {}, t("cat.hours")),
                h("dd", {}, s.hours || t("none")),
                h("dt", {}, t("cat.contact")),
                h("dd", {}, [s.contact?.name, s.contact?.email, s.contact?.phone, s.contact?.url].filter(Boolean).join(" · ") || t("none")),
              ),
            ),
          ),
        ),
      );
    })
    .catch((err) => alive && mount(main, h("h1", {}, t("cat.title")), errorBox(err)));
  return () => {
    alive = false;
  };
}
