// The portal: hash routes (#/network, #/search, #/record/ID, #/catalogue, #/download), each a
// page module with render(main, arg). Plain ES modules, no framework and no build step.
import { applyStatic, currentLang, setLang, t } from "./i18n.js";
import { signIn, signOut, who } from "./session.js";
import { renderNetwork } from "./pages/network.js";
import { renderSearch } from "./pages/search.js";
import { renderRecord } from "./pages/record.js";
import { renderCatalogue } from "./pages/catalogue.js";
import { renderDownload } from "./pages/download.js";

const PAGES = {
  network: renderNetwork,
  search: renderSearch,
  record: renderRecord,
  catalogue: renderCatalogue,
  download: renderDownload,
};

let leave = null;

function route() {
  const [name, ...rest] = location.hash.replace(/^#\/?/, "").split("/");
  const page = PAGES[name] ? name : "network";
  for (const a of document.querySelectorAll("nav a")) a.toggleAttribute("aria-current", a.dataset.route === page);
  leave?.();
  const main = document.getElementById("main");
  main.dataset.page = page;
  leave = PAGES[page](main, decodeURIComponent(rest.join("/"))) ?? null;
}

function showSession() {
  const w = who();
  const el = document.querySelector('[data-testid="session"]');
  el.textContent = w ? t("session.signedIn", { sub: w.sub, tier: w.tier }) : t("session.anonymous");
  el.dataset.tier = w ? w.tier : "public";
}

function setupSignIn() {
  const form = document.querySelector('[data-testid="token-form"]');
  const input = document.getElementById("token-input");
  const file = document.getElementById("token-file");
  const error = document.querySelector('[data-testid="token-error"]');
  const done = () => {
    error.hidden = true;
    input.value = "";
    file.value = "";
    document.querySelector('[data-testid="signin"]').open = false;
    showSession();
    route();
  };
  const fail = (err) => {
    error.textContent = t(err.message);
    error.hidden = false;
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    try {
      signIn(input.value);
      done();
    } catch (err) {
      fail(err);
    }
  });
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (!f) return;
    try {
      signIn(await f.text());
      done();
    } catch (err) {
      fail(err);
    }
  });
  document.querySelector('[data-testid="token-clear"]').addEventListener("click", () => {
    signOut();
    done();
  });
}

function start() {
  const sw = document.getElementById("lang-switch");
  sw.value = currentLang();
  sw.addEventListener("change", () => {
    setLang(sw.value);
    showSession();
    route();
  });
  applyStatic();
  showSession();
  setupSignIn();
  addEventListener("hashchange", route);
  route();
}

start();
