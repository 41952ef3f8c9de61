// Indicator search: one box for any value. The server normalizes (and
// refangs) it, and answers with the observable, every event the caller may
// read that carries it (the correlation), its sightings and its warning list,
// and the stored networks and parent domains that cover it (telemetry naming
// the value alerts through them).

import { ApiError, api } from "../api";
import { errorBox, facts, notice, orgName, pagedTable, tagList } from "../components";
import { breakable, formatCount, h, replace, time } from "../dom";
import { href, navigate, type Route } from "../router";
import { tlpLabel } from "../tlp";
import { OBSERVABLE_TYPES, type Lookup } from "../types";

export function searchView(main: HTMLElement, route: Route, signal: AbortSignal): void {
  const q = route.params.get("q") ?? "";
  const type = route.params.get("type") ?? "";

  const input = h("input", {
    id: "search-value",
    name: "q",
    type: "search",
    value: q,
    required: true,
    autocomplete: "off",
    spellcheck: "false",
    "aria-describedby": "search-hint",
  });
  const select = h(
    "select",
    { id: "search-type", name: "type" },
    h("option", { value: "" }, "Detect automatically"),
    OBSERVABLE_TYPES.map((t) => h("option", { value: t, selected: t === type }, t)),
  );
  const form = h(
    "form",
    { class: "search-form", role: "search", "aria-label": "Indicator search" },
    h("div", { class: "field field-grow" },
      h("label", { for: "search-value" }, "Indicator value"),
      input),
    h("div", { class: "field" },
      h("label", { for: "search-type" }, "Type"),
      select),
    h("div", { class: "field field-button" }, h("button", { type: "submit", class: "primary" }, "Search")),
    h("p", { id: "search-hint", class: "hint" },
      "Any IP address, network, domain, URL, e-mail address, hash, wallet or file name. ",
      "Defanged values (hxxp://, [.]) are accepted."),
  );
  input.addEventListener("input", () => input.setCustomValidity(""));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const value = input.value.trim();
    if (!value) {
      // Blanks pass `required`; say why nothing happens.
      input.setCustomValidity("Type a value to search for.");
      input.reportValidity();
      input.focus();
      return;
    }
    navigate(href("/search", { q: value, type: select.value }));
  });

  const results = h("div", { class: "results", "aria-live": "polite" });
  replace(main, h("h1", { tabindex: -1 }, "Indicator search"), form, results);
  if (!q) {
    input.focus();
    return;
  }
  replace(results, h("p", { class: "loading", role: "status" }, `Looking up ${q}…`));
  api<Lookup>("/indicators/lookup", { params: { value: q, type: type || null }, signal }).then(
    (r) => replace(results, lookupResult(q, r)),
    (e: unknown) => {
      if (signal.aborted) return;
      if (e instanceof ApiError && e.status === 404) {
        replace(results, h("div", { class: "not-found", role: "status" },
          h("h2", null, "No result"),
          h("p", null, `No event you may read carries “${q}”.`),
          h("p", { class: "muted" }, `Server: ${e.message}`)));
      } else {
        replace(results, errorBox(e));
      }
    },
  );
}

function lookupResult(raw: string, r: Lookup): HTMLElement {
  const obs = r.observable;
  const normalizedDiffers = raw !== obs.value;
  return h(
    "div",
    { class: "lookup" },
    h("section", { class: "panel", "aria-labelledby": "obs-heading" },
      h("h2", { id: "obs-heading" }, "Observable"),
      facts([
        ["Normalized value", h("code", { class: "value", "data-testid": "normalized" }, breakable(obs.value))],
        ["Type", obs.type],
        ["Searched for", normalizedDiffers ? h("code", null, raw) : null],
        ["First recorded", r.found ? time(r.created) : "not stored itself"],
        ["Warning list", r.warninglist ? h("strong", null, r.warninglist) : "none"],
        ["Sightings", formatCount(r.sighting_count)],
      ]),
      r.warninglist
        ? notice(`This value is on the warning list “${r.warninglist}”: it is known to be benign and never becomes a live indicator.`, "warning")
        : null),
    h("section", { class: "panel", "aria-labelledby": "corr-heading" },
      h("h2", { id: "corr-heading" },
        `Correlation: ${r.events.length} event${r.events.length === 1 ? "" : "s"}`),
      r.events.length === 0
        ? h("p", { class: "muted" }, r.found ? "No event you may read carries it." : "Not stored itself: only what covers it (below) is.")
        : eventsTable("Events that carry this value", r.events)),
    r.covered_by.length === 0
      ? null
      : h("section", { class: "panel", "aria-labelledby": "cover-heading", "data-testid": "covered-by" },
        h("h2", { id: "cover-heading" }, `Covered by: ${r.covered_by.length}`),
        h("p", { class: "muted" },
          "Stored networks, parent domains or hosts that contain this value, nearest first: telemetry naming it alerts through them."),
        ...r.covered_by.map((cover) =>
          h("div", { class: "covering", "data-covering": cover.observable.value },
            h("h3", null, `${cover.observable.type} `,
              h("a", { href: href("/search", { q: cover.observable.value, type: cover.observable.type }) },
                h("code", null, breakable(cover.observable.value)))),
            eventsTable(`Events that carry ${cover.observable.value}`, cover.events)))),
    h("section", { class: "panel", "aria-labelledby": "sight-heading" },
      h("h2", { id: "sight-heading" }, `Sightings: ${formatCount(r.sighting_count)}`),
      r.sightings.length === 0
        ? h("p", { class: "muted" }, "No sightings recorded.")
        : pagedTable(
            "Sightings",
            ["Organisation", "Count", "First seen", "Last seen", "Source"],
            r.sightings,
            (s) =>
              h("tr", null,
                h("td", null, orgName(s.organisation)),
                h("td", { class: "num" }, formatCount(s.count)),
                h("td", null, time(s.first_seen)),
                h("td", null, time(s.last_seen)),
                h("td", null, s.source ?? h("span", { class: "muted" }, "—"))),
            50,
            true,
          )),
  );
}

function eventsTable(caption: string, events: Lookup["events"]): HTMLElement {
  return pagedTable(
    caption,
    ["TLP", "Event", "Owner", "Tags", "Role", "Confidence", "First seen", "Last seen", "Valid until", "Comment"],
    events,
    ({ event: e, context: c }) =>
      h("tr", { "data-event": e.uuid },
        h("td", null, tlpLabel(e.tlp)),
        h("td", null, h("a", { href: `/events/${encodeURIComponent(e.uuid)}` }, e.title)),
        h("td", null, orgName(e.owner)),
        h("td", null, tagList(e.tags)),
        h("td", null, c.role ?? "—"),
        h("td", { class: "num" }, c.confidence === null ? "—" : String(c.confidence)),
        // Ten columns: the clocks may go under the dates to fit a 1366 px window.
        h("td", { class: "wrap-time" }, time(c.first_seen)),
        h("td", { class: "wrap-time" }, time(c.last_seen)),
        h("td", { class: "wrap-time" }, c.valid_until ? time(c.valid_until) : "never expires"),
        h("td", null, c.comment ?? "")),
    50,
    "wide",
  );
}
