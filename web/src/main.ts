// The application shell: sign-in gate, header (organisation, role,
// sign-out), navigation and the screen for the current route.

import "./style.css";
import { ApiError, UNAUTHORIZED_EVENT, api, describeError } from "./api";
import { h, replace } from "./dom";
import { currentRoute, startRouter, type Route } from "./router";
import { clearSession, getApiKey, identity, setIdentity, type Identity } from "./session";
import type { OrganisationList, Whoami } from "./types";
import { dashboardView } from "./views/dashboard";
import { eventView, eventsView } from "./views/events";
import { alertsView } from "./views/alerts";
import { eventEditView } from "./views/event-edit";
import { importView } from "./views/import";
import { newRequestView, requestView, requestsView } from "./views/requests";
import { searchView } from "./views/search";
import { stealerOperationView, stealerOperationsView } from "./views/stealer";
import { signInView } from "./views/signin";

const root = document.getElementById("app")!;

interface Screen {
  title: string;
  nav?: string;
  render(main: HTMLElement, route: Route, signal: AbortSignal): void;
}

function screenFor(route: Route): Screen {
  const path = route.path;
  if (path === "/" || path === "/index.html") return { title: "Dashboard", nav: "/", render: dashboardView };
  if (path === "/events") return { title: "Events", nav: "/events", render: eventsView };
  if (path === "/events/new") return { title: "New event", nav: "/events", render: (m, r, s) => eventEditView(m, null, r, s) };
  const evEdit = /^\/events\/([^/]+)\/edit$/.exec(path);
  if (evEdit) {
    const uuid = decodeURIComponent(evEdit[1]!);
    return { title: "Edit event", nav: "/events", render: (m, r, s) => eventEditView(m, uuid, r, s) };
  }
  const ev = /^\/events\/([^/]+)$/.exec(path);
  if (ev) {
    const uuid = decodeURIComponent(ev[1]!);
    return { title: "Event", nav: "/events", render: (m, r, s) => eventView(m, uuid, r.params, s) };
  }
  if (path === "/import") return { title: "Import indicators", nav: "/import", render: importView };
  if (path === "/search") return { title: "Indicator search", nav: "/search", render: searchView };
  if (path === "/alerts") return { title: "Alerts", nav: "/alerts", render: alertsView };
  if (path === "/stealer") return { title: "Infostealer operations", nav: "/stealer", render: stealerOperationsView };
  const op = /^\/stealer\/([^/]+)$/.exec(path);
  if (op) {
    const name = decodeURIComponent(op[1]!);
    return { title: `Operation ${name}`, nav: "/stealer", render: (m, r, s) => stealerOperationView(m, name, r, s) };
  }
  if (path === "/requests") return { title: "24/7 requests", nav: "/requests", render: requestsView };
  if (path === "/requests/new") return { title: "New 24/7 request", nav: "/requests", render: newRequestView };
  const rq = /^\/requests\/([^/]+)$/.exec(path);
  if (rq) {
    const handle = decodeURIComponent(rq[1]!);
    return { title: `Request ${handle}`, nav: "/requests", render: (m, r, s) => requestView(m, handle, r, s) };
  }
  return {
    title: "Page not found",
    render: (m) =>
      replace(m, h("h1", { tabindex: -1 }, "Page not found"),
        h("p", null, "There is no screen at this address. ", h("a", { href: "/" }, "Go to the dashboard"), ".")),
  };
}

const NAV: [string, string][] = [
  ["/", "Dashboard"],
  ["/events", "Events"],
  ["/search", "Indicator search"],
  ["/alerts", "Alerts"],
  ["/import", "Import"],
  ["/stealer", "Infostealer"],
  ["/requests", "24/7 requests"],
];

let main: HTMLElement | null = null;
let navLinks: HTMLAnchorElement[] = [];
let menuButton: HTMLButtonElement | null = null;
let controller: AbortController | null = null;
let firstRender = true;

function renderShell(id: Identity): void {
  navLinks = NAV.map(([path, label]) => h("a", { href: path, "data-nav": path }, label));
  const signOut = h("button", { type: "button", class: "signout", onclick: () => signOutNow() }, "Sign out");
  // On a phone the menu is a button that opens the list (style.css): seven
  // entries on one line scrolled sideways, and on three lines they took a
  // third of the screen. On a wider screen the button is not shown.
  const toggle = h("button", { type: "button", class: "menu-toggle", "aria-expanded": "false", "aria-controls": "main-menu" }, "Menu");
  toggle.addEventListener("click", () => setMenuOpen(toggle.getAttribute("aria-expanded") !== "true"));
  menuButton = toggle;
  const nav = h("nav", { class: "mainnav", "aria-label": "Main" }, toggle,
    h("ul", { id: "main-menu" }, navLinks.map((a) => h("li", null, a))));
  nav.addEventListener("keydown", (ev: KeyboardEvent) => {
    if (ev.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      setMenuOpen(false);
      toggle.focus();
    }
  });
  main = h("main", { id: "main", tabindex: -1 });
  replace(
    root,
    h("a", { class: "skip-link", href: "#main" }, "Skip to content"),
    h("header", { class: "topbar" },
      h("a", { class: "brand", href: "/" }, "Accord"),
      nav,
      h("div", { class: "whoami", "aria-label": "Signed in as" },
        h("span", { class: "who-org", "data-testid": "organisation" }, id.organisation_name ?? `Organisation #${id.organisation_id}`),
        h("span", { class: "who-role", "data-testid": "role" }, id.role),
        signOut)),
    main,
  );
}

function renderRoute(route: Route): void {
  if (!identity() || !main) return;
  controller?.abort();
  controller = new AbortController();
  const screen = screenFor(route);
  document.title = `${screen.title} — Accord`;
  for (const a of navLinks) {
    if (a.dataset.nav === screen.nav) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  setMenuOpen(false);
  screen.render(main, route, controller.signal);
  // Move focus to the new screen's heading so keyboard and screen-reader
  // users start there (not on the first load: the page starts at the top).
  if (!firstRender) main.querySelector<HTMLElement>("h1")?.focus({ preventScroll: false });
  firstRender = false;
}

/** The phone menu: closed again once a screen is chosen from it. */
function setMenuOpen(open: boolean): void {
  menuButton?.setAttribute("aria-expanded", String(open));
}

function signOutNow(message?: string): void {
  controller?.abort();
  clearSession();
  main = null;
  menuButton = null;
  firstRender = true;
  signInView(root, () => void boot(), message);
}

/** Who the key belongs to; the organisation's name when the role may read it. */
async function loadIdentity(): Promise<Identity> {
  const who = await api<Whoami>("/whoami");
  let name: string | null = who.organisation ?? null;
  if (name === null && who.role === "admin") {
    try {
      const orgs = await api<OrganisationList>("/organisations");
      name = orgs.organisations.find((o) => o.id === who.organisation_id)?.name ?? null;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status === 401) throw e; // anything else: show the id
    }
  }
  return { ...who, organisation_name: name };
}

async function boot(): Promise<void> {
  if (!getApiKey()) {
    signInView(root, () => void boot());
    return;
  }
  replace(root, h("p", { class: "loading boot", role: "status" }, "Signing in…"));
  try {
    setIdentity(await loadIdentity());
  } catch (e) {
    // 401: api() has ended the session and the sign-in screen says why.
    if (e instanceof ApiError && e.status === 401) return;
    {
      // Keep the key (the server may be restarting) and offer to retry.
      replace(root, h("main", { id: "main", class: "signin" },
        h("div", { class: "signin-card" },
          h("h1", null, "Cannot reach Accord"),
          h("p", { class: "error", role: "alert" }, describeError(e)),
          h("button", { type: "button", class: "primary", onclick: () => void boot() }, "Try again"),
          " ",
          h("button", { type: "button", onclick: () => signOutNow() }, "Sign out"))));
    }
    return;
  }
  renderShell(identity()!);
  renderRoute(currentRoute());
}

window.addEventListener(UNAUTHORIZED_EVENT, (ev) => {
  const detail = (ev as CustomEvent<string>).detail;
  signOutNow(`Your session ended: ${detail}. Sign in again.`);
});

startRouter((route) => {
  if (identity()) renderRoute(route);
});
void boot();
