// Dashboard: counts, a world map shaded by alerts or by victims per country
// (a country opens its alerts and victims), time lines of alerts and new
// indicators, the top malware families, and the latest events.
//
// One GET /api/v1/stats gives every number, counted by the server over what
// this caller may read. The latest events and a country's alerts are read
// separately, so a slow part never blanks the rest.

import { api } from "../api";
import { errorBox, eventTitle } from "../components";
import { breakable, formatCount, h, ipAddress, replace, table, time } from "../dom";
import { href, navigate, type Route } from "../router";
import { tlpLabel } from "../tlp";
import type { AlertPage, Event, EventPage, Stats } from "../types";
import { groupedBarChart, timeLine } from "../viz/charts";
import { countryLabel } from "../viz/countries";
import { worldMap } from "../viz/worldmap";

type Measure = "alerts" | "victims";

interface Card {
  el: HTMLElement;
  set(value: number, note: string): void;
  fail(e: unknown): void;
}

function card(id: string, title: string, link: string | null): Card {
  const value = h("p", { class: "card-value", "data-count": id }, h("span", { class: "loading" }, "…"));
  const note = h("p", { class: "card-note" }, "Loading…");
  const heading = h("h2", { class: "card-title", id: `card-${id}` }, link ? h("a", { href: link }, title) : title);
  const el = h("section", { class: "card", "aria-busy": "true", "aria-labelledby": `card-${id}` }, heading, value, note);
  return {
    el,
    set(v, n) {
      replace(value, formatCount(v));
      replace(note, n);
      el.setAttribute("aria-busy", "false");
    },
    fail(e) {
      replace(value, h("span", { class: "muted" }, "—"));
      replace(note, errorBox(e));
      el.setAttribute("aria-busy", "false");
    },
  };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export function dashboardView(main: HTMLElement, route: Route, signal: AbortSignal): void {
  const measure: Measure = route.params.get("map") === "victims" ? "victims" : "alerts";
  const country = (route.params.get("country") ?? "").toUpperCase() || null;

  const cards = {
    events: card("events", "Events", "/events"),
    indicators: card("indicators", "Live indicators", "/search"),
    alerts: card("alerts", "Alerts today", "/alerts"),
    requests: card("requests", "Open 24/7 requests", "/requests"),
    victims: card("victims", "Infostealer victims", "/stealer"),
  };
  const mapBox = h("div", { class: "map-box" }, h("p", { class: "loading", role: "status" }, "Loading the map…"));
  const countryBox = h("div");
  const timelineBox = h("div", null, h("p", { class: "loading", role: "status" }, "Loading…"));
  const familiesBox = h("div", null, h("p", { class: "loading", role: "status" }, "Loading…"));
  const recent = h("div", null, h("p", { class: "loading", role: "status" }, "Loading the latest events…"));

  replace(
    main,
    h("h1", { tabindex: -1 }, "Dashboard"),
    h("div", { class: "cards" }, Object.values(cards).map((c) => c.el)),
    h("section", { class: "panel", "aria-labelledby": "map-heading" },
      h("div", { class: "panel-head" },
        h("h2", { id: "map-heading" }, measure === "alerts" ? "Alerts per country" : "Infostealer victims per country"),
        measureSwitch(measure, country)),
      h("div", { class: "map-layout" }, mapBox, countryBox)),
    h("div", { class: "grid-2" },
      h("section", { class: "panel", "aria-labelledby": "timeline-heading" },
        h("h2", { id: "timeline-heading" }, "Alerts and new indicators per day"), timelineBox),
      h("section", { class: "panel", "aria-labelledby": "families-heading" },
        h("h2", { id: "families-heading" }, "Top malware families"), familiesBox)),
    h("section", { class: "panel", "aria-labelledby": "recent-heading" },
      h("h2", { id: "recent-heading" }, "Latest events"), recent),
  );

  api<Stats>("/stats", { signal }).then(
    (stats) => {
      if (signal.aborted) return;
      const c = stats.counts;
      cards.events.set(c.events, "that your organisation may read");
      cards.indicators.set(c.live_indicators, "distinct values, not expired, on no warning list");
      cards.alerts.set(c.alerts_today, `${formatCount(c.alerts_unacknowledged)} unacknowledged · ${formatCount(c.alerts)} in all`);
      cards.requests.set(c.open_requests, `${formatCount(c.overdue_requests)} overdue · ${plural(c.draft_requests, "draft")}`);
      cards.victims.set(c.victims, `in ${plural(c.operations, "operation")}`);
      drawMap(mapBox, stats, measure, country);
      if (country) drawCountry(countryBox, stats, country, measure, signal);
      else replace(countryBox, countryTable(stats, measure));
      replace(timelineBox, timeLine(
        `Alerts and new indicators per day, last ${stats.days} days`,
        stats.timeline.map((d) => d.day),
        [
          // Tens of alerts beside thousands of new indicators: each on its own scale.
          { name: "Alerts", values: stats.timeline.map((d) => d.alerts), colour: "#c62828", rightAxis: true },
          { name: "New indicators", values: stats.timeline.map((d) => d.indicators), colour: "#0b5cad" },
        ],
        signal));
      replace(familiesBox, stats.top_families.length === 0
        ? h("p", { class: "muted" }, "No malware family is named yet (families come from event tags such as malware:redline).")
        : groupedBarChart("Alerts and live indicators per malware family",
            stats.top_families.map((f) => f.family),
            [
              { name: "Alerts", values: stats.top_families.map((f) => f.alerts), colour: "#c62828" },
              { name: "Live indicators", values: stats.top_families.map((f) => f.indicators), colour: "#6a3d9a" },
            ],
            signal));
    },
    (e: unknown) => {
      if (signal.aborted) return;
      for (const c of Object.values(cards)) c.fail(e);
      for (const box of [mapBox, timelineBox, familiesBox]) replace(box, errorBox(e));
    },
  );

  loadLatestEvents(signal).then(
    (latest) => {
      if (signal.aborted) return;
      replace(recent, latest.length === 0
        ? h("p", { class: "muted" }, "No events yet.")
        : table("Latest events", ["TLP", "Event", "Owner", "Created"], latest.map((e) =>
            h("tr", null,
              h("td", null, tlpLabel(e.tlp)),
              h("td", { class: "title-cell" }, h("a", { href: `/events/${encodeURIComponent(e.uuid)}` }, eventTitle(e))),
              h("td", null, e.owner.name ?? `#${e.owner.id}`),
              h("td", null, time(e.created)))), { captionHidden: true }));
    },
    (e: unknown) => {
      if (!signal.aborted) replace(recent, errorBox(e));
    },
  );
}

async function loadLatestEvents(signal: AbortSignal, keep = 5): Promise<Event[]> {
  const res = await api<EventPage>("/events", { params: { limit: keep, order: "newest" }, signal });
  return res.events;
}

function measureSwitch(measure: Measure, country: string | null): HTMLElement {
  const option = (m: Measure, label: string) =>
    h("a", {
      class: "segment",
      href: href("/", { map: m === "alerts" ? null : m, country }),
      "aria-current": m === measure ? "true" : null,
    }, label);
  return h("nav", { class: "segmented", "aria-label": "Shade the map by" }, option("alerts", "Alerts"), option("victims", "Victims"));
}

function valuesFor(stats: Stats, measure: Measure): Record<string, number> {
  return measure === "alerts" ? stats.alerts_by_country : stats.victims_by_country;
}

function drawMap(box: HTMLElement, stats: Stats, measure: Measure, selected: string | null): void {
  // Alerts whose address no GeoIP source places (and victims without a
  // country) are in the counts but cannot be on the map: say so.
  const total = measure === "alerts" ? stats.counts.alerts : stats.counts.victims;
  const placed = Object.values(valuesFor(stats, measure)).reduce((sum, n) => sum + n, 0);
  const unplaced = total - placed;
  const note = unplaced <= 0 ? null : h("p", { class: "muted map-note", "data-testid": "map-unplaced" },
    measure === "alerts"
      ? `${plural(unplaced, "alert")} with no known country (no GeoIP source places the address) ${unplaced === 1 ? "is" : "are"} not on the map.`
      : `${plural(unplaced, "victim")} with no known country ${unplaced === 1 ? "is" : "are"} not on the map.`);
  replace(box, worldMap({
    label: measure === "alerts" ? "World map of alerts per country" : "World map of infostealer victims per country",
    values: valuesFor(stats, measure),
    unit: measure,
    tone: measure,
    selected,
    onSelect: (cc) => navigate(href("/", { map: measure === "alerts" ? null : measure, country: cc })),
  }), note);
}

/** Every country with alerts or victims, the chosen measure first. */
function countryTable(stats: Stats, measure: Measure): HTMLElement {
  const codes = new Set([...Object.keys(stats.alerts_by_country), ...Object.keys(stats.victims_by_country)]);
  const rows = [...codes].map((cc) => ({
    cc,
    alerts: stats.alerts_by_country[cc] ?? 0,
    victims: stats.victims_by_country[cc] ?? 0,
  }));
  const other: Measure = measure === "alerts" ? "victims" : "alerts";
  rows.sort((a, b) => b[measure] - a[measure] || b[other] - a[other] || a.cc.localeCompare(b.cc));
  if (rows.length === 0) {
    return h("p", { class: "muted" }, "No alert or victim has a known country yet.");
  }
  const shown = rows.slice(0, 12);
  return h("div", null,
    table("Countries", ["Country", "Alerts", "Victims"], shown.map((r) =>
      h("tr", { "data-country": r.cc },
        h("td", null, h("a", { href: href("/", { map: measure === "alerts" ? null : measure, country: r.cc }) }, countryLabel(r.cc))),
        h("td", { class: "num" }, formatCount(r.alerts)),
        h("td", { class: "num" }, formatCount(r.victims))))),
    rows.length > shown.length ? h("p", { class: "muted" }, `and ${plural(rows.length - shown.length, "more country", "more countries")} on the map`) : null);
}

/** One country: its counts, its latest alerts and its victims per operation. */
function drawCountry(box: HTMLElement, stats: Stats, cc: string, measure: Measure, signal: AbortSignal): void {
  const alerts = stats.alerts_by_country[cc] ?? 0;
  const victims = stats.victims_by_country[cc] ?? 0;
  const alertList = h("div", null, alerts > 0 ? h("p", { class: "loading", role: "status" }, "Loading its alerts…") : null);
  const operations = stats.operations.filter((o) => (o.victims_by_country[cc] ?? 0) > 0);
  replace(box,
    h("section", { class: "country-panel", "aria-labelledby": "country-heading", "data-country": cc },
      h("h3", { id: "country-heading", tabindex: -1 }, countryLabel(cc)),
      h("p", null, h("a", { href: href("/", { map: measure === "alerts" ? null : measure }) }, "← All countries")),
      h("dl", { class: "facts" },
        h("div", null, h("dt", null, "Alerts"), h("dd", { "data-country-count": "alerts" }, formatCount(alerts))),
        h("div", null, h("dt", null, "Infostealer victims"), h("dd", { "data-country-count": "victims" }, formatCount(victims)))),
      h("h4", null, "Latest alerts"),
      alerts === 0 ? h("p", { class: "muted" }, "No alert in this country that you may read.") : alertList,
      alerts > 0 ? h("p", null, h("a", { href: href("/alerts", { country: cc }) }, `All alerts in ${countryLabel(cc)}`)) : null,
      h("h4", null, "Victims per operation"),
      operations.length === 0
        ? h("p", { class: "muted" }, "No infostealer victim in this country that you may read.")
        : h("ul", { class: "plain-list" }, operations.map((o) =>
            h("li", null,
              h("a", { href: href(`/stealer/${encodeURIComponent(o.name)}`, { country: cc }) }, o.name),
              `: ${plural(o.victims_by_country[cc] ?? 0, "victim")}`)))));
  box.querySelector<HTMLElement>("#country-heading")?.focus();
  if (alerts === 0) return;
  api<AlertPage>("/alerts", { params: { country: cc, order: "newest", limit: 10 }, signal }).then(
    (page) => {
      if (signal.aborted) return;
      replace(alertList, table(`Latest alerts in ${countryLabel(cc)}`, ["TLP", "Matched", "Victim", "Organisation", "Last seen"],
        page.alerts.map((a) => h("tr", null,
          h("td", null, tlpLabel(a.tlp)),
          h("td", { class: "value-cell" }, h("a", { href: href("/search", { q: a.matched }) }, h("code", null, breakable(a.matched)))),
          h("td", null, ipAddress(a.victim || "—")),
          h("td", null, a.organisation || h("span", { class: "muted" }, "none")),
          // The panel is a third of the screen beside the map: stacked there.
          h("td", null, time(a.last_seen)))), { captionHidden: true, stack: true }));
    },
    (e: unknown) => {
      if (!signal.aborted) replace(alertList, errorBox(e));
    },
  );
}
