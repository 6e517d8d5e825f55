// Download: a dataset of any member, or the current result set, as JSONL or CSV.
import { download, getJson } from "../api.js";
import { h, mount } from "../dom.js";
import { localized, t } from "../i18n.js";
import { errorBox, num } from "./format.js";
import { lastSearch } from "./search.js";

function formatSelect(id) {
  return h("select", { id, "data-testid": id }, h("option", { value: "jsonl" }, "JSONL"), h("option", { value: "csv" }, "CSV"));
}

/** Renders the download page; `preset` is `member/dataset` from a catalogue link. */
export function renderDownload(main, preset) {
  const status = h("div", { "data-testid": "download-status", "aria-live": "polite" });
  const run = async (path, params, filename) => {
    mount(status, h("p", {}, t("loading")));
    try {
      await download(path, params, filename);
      mount(status, h("p", { "data-testid": "download-done" }, t("dl.done", { file: filename })));
    } catch (err) {
      mount(status, errorBox(err));
    }
  };

  const datasetSelect = h("select", { id: "dl-dataset", "data-testid": "dl-dataset" });
  const datasetFormat = formatSelect("dl-dataset-format");
  const self = { id: "" };
  const datasetForm = h(
    "form",
    {
      "data-testid": "dl-dataset-form",
      onsubmit: (e) => {
        e.preventDefault();
        const [member, dataset] = datasetSelect.value.split("/");
        const format = datasetFormat.value;
        void run("export", { dataset, format, member: member === self.id ? "" : member }, `${member}-${dataset}.${format}`);
      },
    },
    h("h2", {}, t("dl.dataset")),
    h("label", { for: "dl-dataset" }, t("dl.choose")),
    datasetSelect,
    h("label", { for: "dl-dataset-format" }, t("dl.format")),
    datasetFormat,
    h("button", { type: "submit", "data-testid": "dl-dataset-go" }, t("dl.go")),
  );

  const last = lastSearch();
  const resultsFormat = formatSelect("dl-results-format");
  const resultsForm = last
    ? h(
        "form",
        {
          "data-testid": "dl-results-form",
          onsubmit: (e) => {
            e.preventDefault();
            const format = resultsFormat.value;
            void run("search/download", { q: last.q, federate: last.federate, format }, `search-results.${format}`);
          },
        },
        h("h2", {}, t("dl.results")),
        h("p", { "data-testid": "dl-query" }, t("dl.query", { q: last.q || "*" })),
        h("label", { for: "dl-results-format" }, t("dl.format")),
        resultsFormat,
        h("button", { type: "submit", "data-testid": "dl-results-go" }, t("dl.go")),
      )
    : h("div", {}, h("h2", {}, t("dl.results")), h("p", { class: "muted" }, t("dl.noQuery")));

  mount(main, h("h1", {}, t("dl.title")), h("p", { class: "muted" }, t("dl.note")), status, h("div", { class: "downloads" }, resultsForm, datasetForm));

  let alive = true;
  Promise.all([getJson("catalogue"), getJson("network")])
    .then(([cat, net]) => {
      if (!alive) return;
      self.id = net.self;
      mount(
        datasetSelect,
        cat.datasets.map((d) =>
          h("option", { value: `${d.memberId}/${d.id}`, selected: preset === `${d.memberId}/${d.id}` }, `${d.memberId} / ${localized(d.titles) || d.id} (${num(d.recordCount ?? 0)})`),
        ),
      );
    })
    .catch((err) => alive && mount(status, errorBox(err)));
  return () => {
    alive = false;
  };
}
