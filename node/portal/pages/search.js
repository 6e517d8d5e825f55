// Search: a query box with a helper form that writes the query language, results streamed
// from the gateway with each member's status as it answers, facets to narrow, and cursor
// pagination. The last search is remembered for the download page.
import { getJson, streamEvents } from "../api.js";
import { h, mount } from "../dom.js";
import { localized, t } from "../i18n.js";
import { errorBox, num, recordKind } from "./format.js";

const FACETS = ["kind", "year", "country", "dataset"];
/** The query field that narrows a search to one bucket of a facet. */
const FACET_FIELD = { kind: "kind", year: "pd", country: "cc", dataset: "ds", ipc_section: "ipc" };
const RECORD_KINDS = ["patent", "utility_model", "design", "trademark", "gi", "ic_layout", "legal_event", "law"];
const LAST = "ipfed.lastSearch";

/** The last search run in this tab: `{ q, federate }`, or null. */
export function lastSearch() {
  try {
    return JSON.parse(sessionStorage.getItem(LAST) ?? "null");
  } catch {
    return null;
  }
}

/** A value as a query term: bare when it is one plain word, else a quoted phrase. */
function term(value) {
  const v = value.trim();
  return /^[\p{L}\p{N}_*/.-]+$/u.test(v) ? v : `"${v.replace(/(["\\])/g, "\\$1")}"`;
}

function and(query, clause) {
  const q = query.trim();
  if (!q || q === "*") return clause;
  return /\bOR\b/.test(q) ? `(${q}) AND ${clause}` : `${q} AND ${clause}`;
}

let state = { q: "", federate: true, cursors: [""], page: 0 };

/** Renders the search page. */
export function renderSearch(main) {
  const saved = lastSearch();
  if (saved && !state.q) state = { ...state, q: saved.q, federate: saved.federate };
  let ac = null;

  const input = h("input", { id: "q", type: "search", "data-testid": "query-input", value: state.q, spellcheck: "false", autocomplete: "off", placeholder: "ti:石墨烯 AND pd:[2015 TO 2024]" });
  const federate = h("input", { id: "federate", type: "checkbox", "data-testid": "federate", checked: state.federate });
  const helper = {
    ti: h("input", { id: "h-ti", "data-testid": "helper-title" }),
    ab: h("input", { id: "h-ab", "data-testid": "helper-abstract" }),
    pa: h("input", { id: "h-pa", "data-testid": "helper-applicant" }),
    ipc: h("input", { id: "h-ipc", "data-testid": "helper-ipc", placeholder: "H01M" }),
    from: h("input", { id: "h-from", type: "date", "data-testid": "helper-from" }),
    to: h("input", { id: "h-to", type: "date", "data-testid": "helper-to" }),
    kind: h("select", { id: "h-kind", "data-testid": "helper-kind" }, h("option", { value: "" }, t("search.helper.any")), RECORD_KINDS.map((k) => h("option", { value: k }, k))),
  };
  const statuses = h("ul", { class: "statuses", "data-testid": "member-statuses", "aria-live": "polite" });
  const facets = h("div", { class: "facets", "data-testid": "facets" });
  const summary = h("p", { "data-testid": "total", "aria-live": "polite" });
  const hits = h("ol", { class: "hits", "data-testid": "hits" });
  const pager = h("div", { class: "pager" });
  const problem = h("div", {});

  const addHelper = () => {
    let q = input.value;
    for (const f of ["ti", "ab", "pa"]) if (helper[f].value.trim()) q = and(q, `${f}:${term(helper[f].value)}`);
    if (helper.ipc.value.trim()) q = and(q, `ipc:${helper.ipc.value.trim().replace(/\s+/g, "")}`);
    if (helper.from.value || helper.to.value) q = and(q, `pd:[${helper.from.value || "*"} TO ${helper.to.value || "*"}]`);
    if (helper.kind.value) q = and(q, `kind:${helper.kind.value}`);
    input.value = q;
    for (const el of Object.values(helper)) el.value = "";
  };

  const statusItem = (id, stateName, extra = "") =>
    h("li", { "data-testid": "member-status", "data-member-id": id, "data-state": stateName, class: `state-${stateName.replace("MEMBER_STATE_", "").toLowerCase()}` }, h("code", {}, id), " ", stateName === "ASKING" ? t("state.asking") : t(`state.${stateName}`), extra);

  const run = async () => {
    ac?.abort();
    ac = new AbortController();
    const signal = ac.signal;
    state.q = input.value;
    state.federate = federate.checked;
    sessionStorage.setItem(LAST, JSON.stringify({ q: state.q, federate: state.federate }));
    mount(hits);
    mount(facets);
    mount(statuses);
    mount(problem);
    mount(pager);
    summary.textContent = t("loading");
    main.dataset.state = "searching";
    if (state.federate) {
      // Every member starts as "asking"; the stream turns each into its outcome.
      getJson("members")
        .then((r) => {
          if (signal.aborted) return;
          for (const m of r.members) if (!statuses.querySelector(`[data-member-id="${CSS.escape(m.id)}"]`)) statuses.append(statusItem(m.id, "ASKING"));
        })
        .catch(() => undefined);
    }
    try {
      await streamEvents(
        "search",
        { q: state.q, federate: state.federate, cursor: state.cursors[state.page], page_size: 20, facets: FACETS },
        (e) => {
          if (e.hit) hits.append(hitItem(e.hit));
          else if (e.memberStatus) {
            const s = e.memberStatus;
            const item = statusItem(s.memberId, s.state, s.state === "MEMBER_STATE_OK" ? ` · ${num(s.total ?? 0)}` : s.message ? ` · ${s.message}` : "");
            const old = statuses.querySelector(`[data-member-id="${CSS.escape(s.memberId)}"]`);
            old ? old.replaceWith(item) : statuses.append(item);
          } else if (e.facets) mount(facets, (e.facets.facets ?? []).map((f) => facetBox(f, input, run)));
          else if (e.done) {
            summary.textContent = t("search.total", { total: num(e.done.total ?? 0), page: state.page + 1 });
            summary.dataset.total = String(e.done.total ?? 0);
            if (!hits.children.length) hits.append(h("li", { class: "muted" }, t("search.empty")));
            mount(
              pager,
              h("button", { type: "button", "data-testid": "page-prev", disabled: state.page === 0, onclick: () => ((state.page -= 1), run()) }, t("search.prev")),
              h(
                "button",
                { type: "button", "data-testid": "page-next", disabled: !e.done.nextCursor, onclick: () => ((state.cursors[state.page + 1] = e.done.nextCursor), (state.page += 1), run()) },
                t("search.next"),
              ),
              h("a", { href: "#/download", "data-testid": "download-results" }, t("search.download")),
            );
          }
        },
        signal,
      );
      main.dataset.state = "done";
    } catch (err) {
      if (signal.aborted) return;
      summary.textContent = "";
      mount(problem, errorBox(err));
      main.dataset.state = "error";
    }
  };

  const form = h(
    "form",
    {
      class: "search",
      "data-testid": "search-form",
      onsubmit: (e) => {
        e.preventDefault();
        state.cursors = [""];
        state.page = 0;
        void run();
      },
    },
    h("label", { for: "q" }, t("search.query")),
    h("div", { class: "row" }, input, h("button", { type: "submit", "data-testid": "search-submit" }, t("search.submit"))),
    h("label", { class: "inline" }, federate, " ", t("search.federate")),
    h(
      "details",
      { class: "helper", "data-testid": "helper" },
      h("summary", {}, t("search.helper")),
      h(
        "div",
        { class: "helper-grid" },
        [
          ["h-ti", "search.helper.title", helper.ti],
          ["h-ab", "search.helper.abstract", helper.ab],
          ["h-pa", "search.helper.applicant", helper.pa],
          ["h-ipc", "search.helper.ipc", helper.ipc],
          ["h-from", "search.helper.from", helper.from],
          ["h-to", "search.helper.to", helper.to],
          ["h-kind", "search.helper.kind", helper.kind],
        ].map(([id, key, el]) => h("div", {}, h("label", { for: id }, t(key)), el)),
      ),
      h("button", { type: "button", "data-testid": "helper-add", onclick: addHelper }, t("search.helper.add")),
    ),
  );

  mount(
    main,
    h("h1", {}, t("search.title")),
    form,
    problem,
    h(
      "div",
      { class: "search-layout" },
      h("aside", {}, h("h2", {}, t("search.statuses")), statuses, h("h2", {}, t("search.facets")), facets),
      h("section", {}, h("h2", {}, t("search.results")), summary, hits, pager),
    ),
  );
  if (state.q) void run();
  return () => ac?.abort();
}

function hitItem(hit) {
  const r = hit.record ?? {};
  const holders = hit.holders ?? [];
  return h(
    "li",
    { class: "hit", "data-testid": "hit", "data-record-id": r.id },
    h("a", { href: `#/record/${encodeURIComponent(r.id)}`, "data-testid": "hit-link" }, localized(r.titles) || r.id),
    h("p", { class: "muted" }, h("code", {}, r.id), " · ", recordKind(r.kind), " · ", r.publicationDate ?? "", " · ", r.datasetId ?? ""),
    h("p", { class: "holders", "data-testid": "hit-holders", "data-holders": holders.join(",") }, `${t("search.holders")}: `, holders.map((m, i) => [i ? ", " : "", h("code", {}, m)])),
  );
}

function facetBox(f, input, run) {
  const field = FACET_FIELD[f.name];
  return h(
    "section",
    { class: "facet", "data-testid": "facet", "data-facet": f.name },
    h("h3", {}, t(`facet.${f.name}`)),
    h(
      "ul",
      {},
      (f.buckets ?? []).map((b) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "link",
              "data-testid": "facet-bucket",
              "data-value": b.value,
              disabled: !field,
              onclick: () => {
                input.value = and(input.value, `${field}:${term(b.value)}`);
                state.cursors = [""];
                state.page = 0;
                void run();
              },
            },
            b.value,
          ),
          " ",
          h("span", { class: "muted" }, num(b.count)),
        ),
      ),
    ),
  );
}
