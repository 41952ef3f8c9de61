// An event's indicators, which GET /events/{uuid} returns whole (tens of
// thousands for a large feed): filtered in the page by a part of the value
// and by type, then shown a page at a time. The filter is kept in the
// page's address (?value=...&type=..., replaced, not pushed, as the reader
// types), so a reload or Back from an indicator's search shows the same rows.

import { pagedTable, unusedParams } from "../components";
import { append, breakable, formatCount, h, replace, time } from "../dom";
import { href } from "../router";
import type { Indicator } from "../types";

const PAGE_SIZE = 100;
/** How long typing may pause before the rows are filtered again. */
const DEBOUNCE_MS = 150;

interface IndicatorFilter {
  /** trimmed; matched case-insensitively anywhere in the value */
  value: string;
  /** one of the event's types, or "" for all */
  type: string;
}

export function indicatorsPanel(indicators: Indicator[], params: URLSearchParams, signal: AbortSignal): HTMLElement {
  const heading = h("h2", { id: "ind-heading" }, `Indicators: ${formatCount(indicators.length)}`);
  const panel = h("section", { class: "panel event-indicators", "aria-labelledby": "ind-heading" }, heading);
  if (indicators.length === 0) {
    panel.append(h("p", { class: "muted" }, "This event has no indicators."));
    return panel;
  }

  // The types present, most indicators first, each with its count.
  const counts = new Map<string, number>();
  for (const i of indicators) counts.set(i.type, (counts.get(i.type) ?? 0) + 1);
  const types = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  // Lower-cased once: a keystroke then filters 30,000 values in a few milliseconds.
  const lowered = indicators.map((i) => i.value.toLowerCase());

  const wantedType = params.get("type") ?? "";
  const filter: IndicatorFilter = {
    value: (params.get("value") ?? "").trim(),
    type: counts.has(wantedType) ? wantedType : "",
  };

  const valueInput = h("input", {
    id: "ind-value", name: "value", type: "search", value: filter.value, autocomplete: "off",
    spellcheck: "false", placeholder: "part of a value", "aria-controls": "ind-results",
  });
  const typeSelect = h("select", { id: "ind-type", name: "type", "aria-controls": "ind-results" },
    h("option", { value: "" }, `All types (${formatCount(indicators.length)})`),
    types.map(([t, n]) => h("option", { value: t, selected: t === filter.type }, `${t} (${formatCount(n)})`)));
  const form = h("form", { class: "filters indicator-filters", role: "search", "aria-label": "Filter indicators" },
    h("div", { class: "field field-grow" }, h("label", { for: "ind-value" }, "Find a value"), valueInput),
    h("div", { class: "field" }, h("label", { for: "ind-type" }, "Type"), typeSelect));
  const status = h("p", { class: "filter-status", role: "status", "aria-live": "polite", "data-testid": "indicators-shown" });
  const results = h("div", { id: "ind-results" });

  const draw = () => {
    const needle = filter.value.toLowerCase();
    const shown = needle === "" && filter.type === ""
      ? indicators
      : indicators.filter((ind, n) => (filter.type === "" || ind.type === filter.type) && lowered[n]!.includes(needle));
    replace(status, `Showing ${formatCount(shown.length)} of ${formatCount(indicators.length)}`);
    // A new table starts on its first page.
    replace(results, shown.length === 0
      ? h("p", { class: "muted" }, "No indicator of this event matches.")
      : pagedTable(
          "Indicators of this event",
          ["Type", "Value", "Status", "Role", "Confidence", "First seen", "Last seen", "Valid until", "Comment"],
          shown,
          indicatorRow,
          PAGE_SIZE,
          "wide",
        ));
  };

  // The address says what is shown; replaced, so typing adds no history.
  const remember = () => {
    if (signal.aborted) return;
    const q = new URLSearchParams(location.search);
    q.delete("value");
    q.delete("type");
    const kept = Object.fromEntries(q.entries());
    history.replaceState(history.state, "", href(location.pathname, { ...kept, value: filter.value, type: filter.type }));
  };

  const apply = () => {
    const next = { value: valueInput.value.trim(), type: typeSelect.value };
    if (next.value === filter.value && next.type === filter.type) return;
    filter.value = next.value;
    filter.type = next.type;
    draw();
    remember();
  };

  let timer: number | undefined;
  signal.addEventListener("abort", () => window.clearTimeout(timer), { once: true });
  valueInput.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(apply, DEBOUNCE_MS);
  });
  typeSelect.addEventListener("change", () => {
    window.clearTimeout(timer);
    apply();
  });
  form.addEventListener("submit", (ev) => {
    // Enter filters at once rather than waiting, and does not leave the page.
    ev.preventDefault();
    window.clearTimeout(timer);
    apply();
  });

  append(panel, [unusedParams(params, { type: ["", ...counts.keys()] }), form, status, results]);
  draw();
  return panel;
}

function indicatorStatus(i: Indicator): string {
  if (i.warninglist) return `warning list: ${i.warninglist}`;
  if (!i.is_indicator) return "observed only";
  if (i.valid_until && Date.parse(i.valid_until) <= Date.now()) return "expired";
  return "live";
}

function indicatorRow(i: Indicator): HTMLTableRowElement {
  const status = indicatorStatus(i);
  return h("tr", null,
    h("td", null, i.type),
    h("td", { class: "value-cell" }, h("a", { href: href("/search", { q: i.value, type: i.type }), class: "value" }, breakable(i.value))),
    h("td", null, h("span", { class: `status status-${status.split(":")[0]!.replace(/\s+/g, "-")}` }, status)),
    h("td", null, i.role ?? "—"),
    h("td", { class: "num" }, i.confidence === null ? "—" : String(i.confidence)),
    // Nine columns: the clocks may go under the dates to fit a 1366 px window.
    h("td", { class: "wrap-time" }, time(i.first_seen)),
    h("td", { class: "wrap-time" }, time(i.last_seen)),
    h("td", { class: "wrap-time" }, i.valid_until ? time(i.valid_until) : "never expires"),
    h("td", null, i.comment ?? ""));
}
