// Alerts: the early-warning feed, newest observed first (by when telemetry
// last hit, not when the node stored the alert), kept live by polling the
// first page every few seconds (new alerts are marked and announced), with
// filters by country, family, organisation and acknowledgement, newer and
// older pages and the total, the events each alert names (linked, with the
// feed they came from), and an Acknowledge button for whoever handles an
// alert.
//
// Polling rather than server-sent events: the server's worker pool is
// bounded, and a held-open stream per screen would tie up a worker each.

import { ApiError, api } from "../api";
import { errorBox, eventTitle, unusedParams } from "../components";
import { breakable, formatCount, formatTime, h, ipAddress, replace, table, time } from "../dom";
import { href, navigate, type Route } from "../router";
import { identity } from "../session";
import { tlpLabel } from "../tlp";
import type { Alert, AlertPage } from "../types";
import { alpha2FromInput, countryLabel } from "../viz/countries";

const PAGE_SIZE = 50;
const POLL_MS = 5000;

interface Filters {
  country: string;
  family: string;
  organisation: string;
  acknowledged: "" | "true" | "false";
}

function filtersFrom(params: URLSearchParams): Filters {
  const ack = params.get("acknowledged");
  return {
    country: (params.get("country") ?? "").toUpperCase(),
    family: params.get("family") ?? "",
    organisation: params.get("organisation") ?? "",
    acknowledged: ack === "true" || ack === "false" ? ack : "",
  };
}

// The server says, per alert: a handler of the organisation that raised it
// or of the one it is routed to. (The live feed's pushed alerts have no such
// field: then the role decides and the server has the last word.)
function mayAcknowledge(a: Alert): boolean {
  if (a.may_acknowledge !== undefined) return a.may_acknowledge;
  const role = identity()?.role;
  return role === "admin" || role === "analyst" || role === "poc";
}

export function alertsView(main: HTMLElement, route: Route, signal: AbortSignal): void {
  const filters = filtersFrom(route.params);
  const cursor = route.params.get("cursor");
  const live = !cursor; // only the first page follows new alerts

  const status = h("p", { class: "live-status", role: "status", "aria-live": "polite" }, "Loading alerts…");
  // What a button did, said apart from the poll's status line (which the next poll rewrites).
  const said = h("p", { class: "visually-hidden", "aria-live": "polite", "data-testid": "alerts-announce" });
  const announce = (text: string) => {
    // Emptied first, so the same words said twice are announced twice.
    replace(said);
    window.setTimeout(() => replace(said, text), 50);
  };
  const feed: Feed = { signal, announce, acknowledged: new Map() };
  const results = h("div");
  const pauseButton = h("button", { type: "button", class: "live-toggle" }, "Pause live updates");
  let paused = false;
  pauseButton.addEventListener("click", () => {
    paused = !paused;
    pauseButton.textContent = paused ? "Resume live updates" : "Pause live updates";
    if (!paused) void poll();
  });

  replace(
    main,
    h("h1", { tabindex: -1 }, "Alerts"),
    unusedParams(route.params, { acknowledged: ["true", "false"] }),
    filterForm(filters),
    h("div", { class: "live-bar" }, status, live ? pauseButton : null),
    said,
    results,
  );

  const seen = new Set<string>();
  let first = true;
  let timer: number | undefined;
  signal.addEventListener("abort", () => window.clearTimeout(timer), { once: true });

  const poll = async (): Promise<void> => {
    window.clearTimeout(timer);
    try {
      const page = await api<AlertPage>("/alerts", {
        params: { order: "newest", limit: PAGE_SIZE, cursor, ...filters },
        signal,
      });
      if (signal.aborted) return;
      const fresh = first ? new Set<string>() : new Set(page.alerts.filter((a) => !seen.has(a.id)).map((a) => a.id));
      for (const a of page.alerts) seen.add(a.id);
      first = false;
      drawTable(results, page, fresh, filters, !cursor, feed);
      const when = formatTime(new Date().toISOString());
      status.textContent = fresh.size > 0
        ? `${fresh.size === 1 ? "1 new alert" : `${formatCount(fresh.size)} new alerts`} · updated ${when}`
        : live ? `Live · updated ${when}, checked every ${POLL_MS / 1000} s` : `Earlier page · read ${when}`;
    } catch (e) {
      if (signal.aborted) return;
      // Keep the last table; say why it is not current.
      replace(status, errorBox(e, "The alerts could not be updated."));
      if (e instanceof ApiError && e.status === 400) return; // a bad filter will not get better
    }
    if (live && !paused && !signal.aborted) timer = window.setTimeout(() => void poll(), POLL_MS);
  };
  void poll();
}

function filterForm(f: Filters): HTMLElement {
  const field = (id: string, label: string, control: HTMLElement, hint?: string) =>
    h("div", { class: "field" }, h("label", { for: id }, label), control, hint ? h("p", { class: "hint" }, hint) : null);
  const country = h("input", { id: "f-country", name: "country", value: f.country, autocomplete: "off", placeholder: "e.g. DE or Germany" });
  const family = h("input", { id: "f-family", name: "family", value: f.family, autocomplete: "off", placeholder: "e.g. redline" });
  const organisation = h("input", { id: "f-organisation", name: "organisation", value: f.organisation, autocomplete: "off" });
  const acknowledged = h("select", { id: "f-ack", name: "acknowledged" },
    h("option", { value: "" }, "All"),
    h("option", { value: "false" }, "Not acknowledged"),
    h("option", { value: "true" }, "Acknowledged"));
  acknowledged.value = f.acknowledged;
  const form = h("form", { class: "filters", "aria-label": "Filter alerts" },
    field("f-country", "Country", country, "The victim's country: its ISO code or its name"),
    field("f-family", "Malware family", family),
    field("f-organisation", "Responsible organisation", organisation, "Exact name"),
    field("f-ack", "Acknowledgement", acknowledged),
    h("div", { class: "field field-button" },
      h("button", { type: "submit", class: "primary" }, "Apply filters"),
      h("a", { class: "button-link", href: "/alerts" }, "Clear")));
  country.addEventListener("input", () => country.setCustomValidity(""));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const code = country.value.trim() === "" ? "" : alpha2FromInput(country.value);
    if (code === null) {
      // Said, not silently cut to two letters ("United Kingdom" is not "UN").
      country.setCustomValidity(`No country has the code or name “${country.value.trim()}”.`);
      country.reportValidity();
      return;
    }
    navigate(href("/alerts", {
      country: code,
      family: family.value.trim(),
      organisation: organisation.value.trim(),
      acknowledged: acknowledged.value,
    }));
  });
  return form;
}

/**
 * Newer and older pages, and how many alerts there are in all. The newest
 * page is the live one, without a cursor.
 */
function alertPager(page: AlertPage, f: Filters, onFirstPage: boolean): HTMLElement {
  const total = page.total === 1 ? "1 alert" : `${formatCount(page.total)} alerts`;
  const newer = page.prev
    ? h("a", { class: "button-link", rel: "prev", href: href("/alerts", { ...f, cursor: page.prev }) }, "Newer alerts")
    : !onFirstPage
      ? h("a", { class: "button-link", href: href("/alerts", { ...f }) }, "Newest alerts (live)")
      : null;
  const older = page.next
    ? h("a", { class: "button-link", rel: "next", href: href("/alerts", { ...f, cursor: page.next }) }, "Older alerts")
    : null;
  return h("nav", { class: "pager", "aria-label": "Alerts: pages" },
    newer, h("span", { class: "pager-status", "data-testid": "alerts-total" }, `${total} in all`), older);
}

/** How many of an alert's events its row names; the indicator's search page has them all. */
const EVENTS_SHOWN = 3;

/** "misp:/data/feeds/phishing.json" as "misp phishing.json": the kind and the file, not the node's paths. */
function feedName(source: string): string {
  const colon = source.indexOf(":");
  if (colon < 0) return source;
  const place = source.slice(colon + 1);
  return `${source.slice(0, colon)} ${place.slice(place.lastIndexOf("/") + 1) || place}`;
}

/** The events an alert names, each linked to its page, with the feed it came from. */
function alertEvents(a: Alert): Node {
  if (a.events.length === 0) return h("span", { class: "muted" }, "—");
  const more = a.events.length - EVENTS_SHOWN;
  return h("ul", { class: "alert-events" },
    a.events.slice(0, EVENTS_SHOWN).map((e) =>
      h("li", null,
        h("a", { href: `/events/${encodeURIComponent(e.uuid)}` }, eventTitle(e)),
        e.source ? h("div", { class: "muted small", title: e.source }, "from ", breakable(feedName(e.source))) : null)),
    more > 0
      ? h("li", null, h("a", { class: "small", href: href("/search", { q: a.matched }) },
          more === 1 ? "1 more event" : `${formatCount(more)} more events`))
      : null);
}

/** What the rows of one alerts screen share. */
interface Feed {
  signal: AbortSignal;
  /** says what a button did, apart from the poll's status line */
  announce: (text: string) => void;
  /** The alerts acknowledged on this screen, as the server answered. A poll
   * answer asked for before an acknowledgement still has the alert open, and
   * would bring its button back under the reader's focus. */
  acknowledged: Map<string, NonNullable<Alert["acknowledged"]>>;
}

function drawTable(box: HTMLElement, page: AlertPage, fresh: Set<string>, f: Filters,
  onFirstPage: boolean, feed: Feed): void {
  // Keep keyboard focus on the same alert's button (or, once acknowledged,
  // on who acknowledged it) across a redraw.
  const active = document.activeElement as HTMLElement | null;
  const focused = box.contains(active) ? active?.closest?.("tr")?.dataset.alert : undefined;
  const pager = alertPager(page, f, onFirstPage);
  if (page.alerts.length === 0) {
    replace(box, h("p", { class: "muted", "data-empty": "alerts" },
      !onFirstPage ? "No alert on this page any more." :
      Object.values(f).some(Boolean) ? "No alert matches these filters." : "No alert yet. Alerts appear here when telemetry hits a live indicator."),
      pager);
    return;
  }
  const rows = page.alerts.map((a) => {
    const acknowledged = a.acknowledged ?? feed.acknowledged.get(a.id) ?? null;
    return alertRow({ ...a, acknowledged }, fresh.has(a.id), feed);
  });
  replace(box,
    table("Alerts, newest observed first", ["TLP", "Matched", "Events", "Families", "Victim", "Organisation", "Count", "Last seen", "Acknowledged"], rows,
      { captionHidden: true, stack: "wide" }),
    pager);
  if (focused) {
    const row = box.querySelector<HTMLElement>(`tr[data-alert="${CSS.escape(focused)}"]`);
    focusIn(row?.querySelector<HTMLElement>("button") ?? row?.querySelector<HTMLElement>(".acked") ?? null);
  }
}

/** Focus on an element that may not take it by itself (the acknowledgement's text). */
function focusIn(el: HTMLElement | null): void {
  if (!el) return;
  if (!el.matches("button, a[href], input, select, textarea")) el.tabIndex = -1;
  el.focus();
}

function alertRow(a: Alert, isNew: boolean, { signal, announce, acknowledged }: Feed): HTMLTableRowElement {
  // Both timestamps may put the clock under the date: kept on one line they
  // pushed the last columns out of a 1366 px window.
  const ackCell = h("td", { class: "wrap-time" }, acknowledgement(a));
  if (!a.acknowledged && mayAcknowledge(a)) {
    const button = h("button", { type: "button", "aria-label": `Acknowledge the alert on ${a.matched} for ${a.victim || "an unknown victim"}` }, "Acknowledge");
    button.addEventListener("click", () => {
      button.disabled = true;
      api<Alert>(`/alerts/${encodeURIComponent(a.id)}/acknowledge`, { method: "POST", signal }).then(
        (updated) => {
          if (updated.acknowledged) acknowledged.set(a.id, updated.acknowledged);
          // The button goes; focus goes to what replaced it, not to the page's
          // top. (A poll may have redrawn the table meanwhile: then the new row's cell.)
          const cell = ackCell.isConnected ? ackCell
            : document.querySelector<HTMLElement>(`tr[data-alert="${CSS.escape(a.id)}"] > td:last-child`);
          if (cell) {
            replace(cell, acknowledgement(updated));
            focusIn(cell.querySelector<HTMLElement>(".acked") ?? cell);
          }
          announce("Alert acknowledged.");
        },
        (e: unknown) => {
          if (signal.aborted) return;
          button.disabled = false;
          replace(ackCell, button, errorBox(e));
        },
      );
    });
    replace(ackCell, button);
  }
  return h("tr", { "data-alert": a.id, class: isNew ? "row-new" : null },
    h("td", null, tlpLabel(a.tlp)),
    h("td", { class: "value-cell" },
      isNew ? h("span", { class: "badge-new" }, "new") : null, " ",
      h("a", { href: href("/search", { q: a.matched }) }, h("code", null, breakable(a.matched))),
      a.seen && a.seen !== a.matched ? h("div", { class: "muted small" }, "seen as ", h("code", null, breakable(a.seen))) : null),
    h("td", null, alertEvents(a)),
    h("td", null, a.families.length ? a.families.join(", ") : h("span", { class: "muted" }, "—")),
    // The country under the address, not in a column of its own: one column
    // fewer is what lets the table fit a 1366 px window with the Acknowledge
    // button in view.
    h("td", null, ipAddress(a.victim || "—"),
      h("div", { class: "alert-country" }, a.country ? countryLabel(a.country) : h("span", { class: "muted" }, "country unknown")),
      a.asn ? h("div", { class: "muted small" }, `AS${a.asn} ${a.as_organisation}`) : null),
    h("td", null, a.organisation || h("span", { class: "muted" }, "none")),
    h("td", { class: "num" }, formatCount(a.count)),
    h("td", { class: "wrap-time" }, time(a.last_seen)),
    ackCell);
}

function acknowledgement(a: Alert): Node {
  if (!a.acknowledged) return h("span", { class: "muted" }, "not yet");
  // "E2E CERT: admin (ak_559c38189dc25ea8)": the key id may wrap after its "_".
  return h("span", { class: "acked" }, "by ", breakable(a.acknowledged.by), ", ", time(a.acknowledged.at));
}
