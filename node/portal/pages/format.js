// Shared bits of the pages: labels of enum values, numbers, dates, and the error box.
import { h } from "../dom.js";
import { currentLang, t } from "../i18n.js";

/** `MEMBER_KIND_TISC` or `tisc` → the kind's short name. */
export function kindKey(kind) {
  return String(kind ?? "").replace(/^MEMBER_KIND_/, "").toLowerCase();
}

/** `RECORD_KIND_UTILITY_MODEL` → `utility_model` (the query language's name). */
export function recordKind(kind) {
  return String(kind ?? "").replace(/^RECORD_KIND_/, "").toLowerCase();
}

/** `TIER_REGISTERED` → `registered`. */
export function tierKey(tier) {
  return String(tier ?? "TIER_PUBLIC").replace(/^TIER_/, "").toLowerCase();
}

/** A number with the language's grouping. */
export function num(n) {
  return n === null || n === undefined ? t("none") : Number(n).toLocaleString(currentLang() === "zh" ? "zh-CN" : "en");
}

/** A timestamp as a local date and time, or — . */
export function when(iso) {
  if (!iso) return t("none");
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(currentLang() === "zh" ? "zh-CN" : "en");
}

/** An error box for a failed call: the stable code, the message, and the position if any. */
export function errorBox(err) {
  const pos = err.detail?.position ? ` (${err.detail.field ?? ""}@${err.detail.position})` : "";
  return h("p", { class: "error", role: "alert", "data-testid": "error", "data-code": err.code ?? "" }, `${t("error")} ${err.code ?? ""}: ${err.message}${pos}`);
}
