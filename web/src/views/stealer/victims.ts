// Where the victims are: the map and table of victims per country, and the
// victims themselves a page at a time, filtered to the country chosen on
// either (?country=XX in the address, so a filter is bookmarkable and Back
// undoes it).

import { api } from "../../api";
import { errorBox, pagedTable } from "../../components";
import { formatCount, h, replace, table, time } from "../../dom";
import { href, navigate } from "../../router";
import type { StealerOperationSummary, StealerVictim, StealerVictimPage } from "../../types-stealer";
import { worldMap } from "../../viz/worldmap";
import { UNKNOWN_COUNTRY, operationApi, operationPath, placeLabel, plural, share } from "./shared";

const VICTIMS_PER_PAGE = 25;
const COUNTRIES_PER_PAGE = 20;

/** history.state of a country choice: the screen then takes the reader to the victims. */
export interface ChoiceState {
  focus: "victims";
}

export function wantsVictimsFocus(state: unknown): boolean {
  return (state as Partial<ChoiceState> | null)?.focus === "victims";
}

function showCountry(name: string, country: string | null): void {
  navigate(href(operationPath(name), { country }), { state: { focus: "victims" } satisfies ChoiceState });
}

/** A link that filters the victims (a real address, so it also opens in a new tab). */
function countryLink(name: string, country: string | null, text: string): HTMLAnchorElement {
  return h("a", {
    href: href(operationPath(name), { country }),
    onclick: (ev: MouseEvent) => {
      if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      showCountry(name, country);
    },
  }, text);
}

export function countriesPanel(name: string, summary: StealerOperationSummary, selected: string | null): HTMLElement {
  const counts = Object.entries(summary.victims_by_country)
    .sort(([a, x], [b, y]) => y - x || placeLabel(a).localeCompare(placeLabel(b)));
  const known = counts.filter(([cc]) => cc !== UNKNOWN_COUNTRY).length;
  const map = worldMap({
    label: `Victims of operation ${name} per country`,
    values: Object.fromEntries(counts.filter(([cc]) => cc !== UNKNOWN_COUNTRY)),
    unit: "victims",
    tone: "victims",
    selected,
    onSelect: (cc) => showCountry(name, cc),
  });
  const rows = counts.length === 0
    ? h("p", { class: "muted" }, "No victims yet.")
    : pagedTable("Victim counts per country", ["Country", "Victims", "Share"], counts, ([cc, n]) => {
        const row = h("tr", { "data-country-row": cc },
          h("td", null, countryLink(name, cc, placeLabel(cc))),
          h("td", { class: "num" }, formatCount(n)),
          h("td", { class: "num" }, share(n, summary.victims)));
        if (cc === selected) {
          row.setAttribute("aria-current", "true");
          row.classList.add("selected");
        }
        return row;
      }, COUNTRIES_PER_PAGE);
  return h("section", { class: "panel", "aria-labelledby": "countries-heading" },
    h("h2", { id: "countries-heading" }, "Victims per country"),
    h("p", { class: "muted" },
      `${plural(summary.victims, "victim")} in ${plural(known, "country", "countries")}`,
      counts.some(([cc]) => cc === UNKNOWN_COUNTRY) ? " and some whose country is unknown" : "",
      ". Choose a country on the map or in the table to list its victims."),
    h("div", { class: "grid-2 stealer-countries" }, map, rows));
}

export function victimsPanel(
  name: string,
  summary: StealerOperationSummary,
  country: string | null,
  signal: AbortSignal,
  focusWhenLoaded: boolean,
): HTMLElement {
  const heading = h("h2", { id: "victims-heading", tabindex: -1 },
    country ? `Victims in ${placeLabel(country)}` : "Victims");
  const total = country ? summary.victims_by_country[country] ?? 0 : summary.victims;
  const pages = Math.max(1, Math.ceil(total / VICTIMS_PER_PAGE));
  const body = h("div", { class: "victims-body", "aria-live": "polite" },
    h("p", { class: "loading", role: "status" }, "Loading victims…"));
  const panel = h("section", { class: "panel", id: "victims", "aria-labelledby": "victims-heading" },
    heading,
    h("p", { class: "muted" },
      country
        ? [total > 0 ? `Only the ${plural(total, "victim")} in ${placeLabel(country)}. ` : `Only victims in ${placeLabel(country)}. `,
            countryLink(name, null, "Show victims in every country")]
        : "Infected machines in the order they were ingested. Usernames and passwords are never shown."),
    body);

  // cursors[i] fetches page i; the first page needs none.
  const cursors: (string | null)[] = [null];
  let firstLoad = true;
  const load = (page: number, focus?: "prev" | "next") => {
    api<StealerVictimPage>(operationApi(name, "/victims"), {
      params: { country, limit: VICTIMS_PER_PAGE, cursor: cursors[page] },
      signal,
    }).then(
      (res) => {
        if (res.next) cursors[page + 1] = res.next;
        const prev = h("button", { type: "button", disabled: page === 0, onclick: () => load(page - 1, "prev") }, "Previous page");
        const next = h("button", { type: "button", disabled: !res.next, onclick: () => load(page + 1, "next") }, "Next page");
        replace(body,
          res.victims.length === 0
            ? h("p", { class: "muted", role: "status" }, country ? `No victims in ${placeLabel(country)}.` : "No victims.")
            : table(country ? `Victims in ${placeLabel(country)}, page ${page + 1}` : `Victims, page ${page + 1}`,
                ["Machine id", "IP address", "Country", "Family", "Infected", "Credentials"],
                res.victims.map(victimRow), { captionHidden: true }),
          res.next || page > 0
            ? h("nav", { class: "pager", "aria-label": "Victim pages" },
                prev,
                h("span", { class: "pager-status" }, `Page ${page + 1} of ${Math.max(pages, page + 1)} (${formatCount(total)} in all)`),
                next)
            : null);
        if (focus === "prev") (prev.disabled ? next : prev).focus();
        if (focus === "next") (next.disabled ? prev : next).focus();
        if (firstLoad && focusWhenLoaded) heading.focus();
        firstLoad = false;
      },
      (e: unknown) => {
        if (!signal.aborted) replace(body, errorBox(e, "The victims could not be read."));
      },
    );
  };
  load(0);
  return panel;
}

function victimRow(v: StealerVictim): HTMLTableRowElement {
  return h("tr", { "data-victim-country": v.country ?? UNKNOWN_COUNTRY },
    h("td", null, h("code", null, v.machine_id)),
    h("td", null, v.ip
      ? h("code", { class: "ip" }, v.ip)
      : h("span", { class: "muted" }, v.purged ? "purged" : "—")),
    h("td", null, placeLabel(v.country)),
    h("td", null, v.family),
    h("td", null, time(v.infected_at)),
    h("td", { class: "num" }, formatCount(v.credentials)));
}
