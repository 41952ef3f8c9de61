// An operation at a glance: the counts, victims per stealer family, when the
// machines were infected, and the services whose accounts were stolen.

import { pagedTable } from "../../components";
import { breakable, formatCount, h, type Child } from "../../dom";
import type { StealerOperationSummary } from "../../types-stealer";
import { barChart, timeLine } from "../../viz/charts";
import { UNKNOWN_COUNTRY, plural, share } from "./shared";

const FAMILY_COLOUR = "#3d62b3";
const SERVICE_COLOUR = "#8e4b9e";
const INFECTION_COLOUR = "#c0392b";
const SERVICES_IN_CHART = 10;
const SERVICES_PER_PAGE = 15;

function card(id: string, title: string, value: string, note: Child): HTMLElement {
  return h("section", { class: "card", "aria-labelledby": `card-${id}` },
    h("h2", { class: "card-title", id: `card-${id}` }, title),
    h("p", { class: "card-value", "data-count": id }, value),
    h("p", { class: "card-note" }, note));
}

export function summaryCards(s: StealerOperationSummary): HTMLElement {
  const countries = Object.keys(s.victims_by_country).filter((cc) => cc !== UNKNOWN_COUNTRY).length;
  const networks = s.c2_by_asn.length;
  return h("div", { class: "cards" },
    card("victims", "Victims", formatCount(s.victims), `infected machines in ${plural(countries, "country", "countries")}`),
    card("credentials", "Credentials", formatCount(s.credentials), `${formatCount(s.cookies)} cookies besides`),
    card("services", "Affected services", formatCount(s.services), "distinct domains with stolen accounts"),
    card("c2", "C2 servers", formatCount(s.c2_servers), `in ${plural(networks, "hosting network")}`),
    card("purged", "Personal data purged", formatCount(s.victims_purged),
      `of ${plural(s.victims, "victim")}; kept ${plural(s.retention_days, "day")} after ingest`));
}

export function familiesPanel(s: StealerOperationSummary, signal: AbortSignal): HTMLElement {
  const families = Object.entries(s.victims_by_family).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return h("section", { class: "panel", "aria-labelledby": "families-heading" },
    h("h2", { id: "families-heading" }, "Victims per stealer family"),
    families.length === 0
      ? h("p", { class: "muted" }, "No victims yet.")
      : barChart("Victims per stealer family", families.map(([f]) => f), families.map(([, n]) => n), FAMILY_COLOUR, signal));
}

interface Buckets {
  unit: "day" | "week" | "month";
  starts: string[];
  values: number[];
  undated: number;
}

function isoDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

/**
 * The summary's infections per day as an even series: every day of a short
 * span, else per week (from Monday) or per month, so a year of sparse days
 * reads as a shape rather than as spikes between gaps.
 */
export function infectionBuckets(timeline: Record<string, number>): Buckets | null {
  let undated = 0;
  const dated: [number, number][] = [];
  for (const [day, n] of Object.entries(timeline)) {
    const t = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
    if (Number.isNaN(t)) undated += n;
    else dated.push([t, n]);
  }
  if (dated.length === 0) return null;
  const first = Math.min(...dated.map(([t]) => t));
  const last = Math.max(...dated.map(([t]) => t));
  const spanDays = (last - first) / DAY_MS;
  const unit = spanDays <= 120 ? "day" : spanDays <= 3 * 366 ? "week" : "month";
  const bucketOf = (t: number): string => {
    if (unit === "day") return isoDay(t);
    if (unit === "week") return isoDay(t - ((new Date(t).getUTCDay() + 6) % 7) * DAY_MS);
    return `${isoDay(t).slice(0, 7)}-01`;
  };
  const step = (start: string): string => {
    const t = Date.parse(`${start}T00:00:00Z`);
    if (unit === "day") return isoDay(t + DAY_MS);
    if (unit === "week") return isoDay(t + 7 * DAY_MS);
    const d = new Date(t);
    return isoDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  };
  const sums = new Map<string, number>();
  for (const [t, n] of dated) sums.set(bucketOf(t), (sums.get(bucketOf(t)) ?? 0) + n);
  const starts: string[] = [];
  const end = bucketOf(last);
  for (let b = bucketOf(first); b <= end; b = step(b)) starts.push(b);
  return { unit, starts, values: starts.map((b) => sums.get(b) ?? 0), undated };
}

export function timelinePanel(s: StealerOperationSummary, signal: AbortSignal): HTMLElement {
  const buckets = infectionBuckets(s.timeline);
  const heading = h("h2", { id: "timeline-heading" }, "Infections over time");
  if (!buckets) {
    return h("section", { class: "panel", "aria-labelledby": "timeline-heading" }, heading,
      h("p", { class: "muted" }, s.victims === 0 ? "No victims yet." : "No log gave a usable infection date."));
  }
  const per = { day: "per day", week: "per week (from Monday)", month: "per month" }[buckets.unit];
  return h("section", { class: "panel", "aria-labelledby": "timeline-heading" }, heading,
    timeLine(`Infections ${per}`, buckets.starts,
      [{ name: `Infected machines ${per}`, values: buckets.values, colour: INFECTION_COLOUR }], signal),
    buckets.undated > 0
      ? h("p", { class: "muted" }, `${plural(buckets.undated, "victim")} without an infection date ${buckets.undated === 1 ? "is" : "are"} not drawn.`)
      : null);
}

export function servicesPanel(s: StealerOperationSummary, signal: AbortSignal): HTMLElement {
  const top = s.top_services;
  const charted = top.slice(0, SERVICES_IN_CHART);
  return h("section", { class: "panel", "aria-labelledby": "services-heading" },
    h("h2", { id: "services-heading" }, "Top affected services"),
    h("p", { class: "muted" },
      `${plural(s.services, "service")} (registrable domains) had accounts stolen`,
      top.length < s.services ? `; the ${formatCount(top.length)} with the most accounts are listed.` : "."),
    top.length === 0
      ? h("p", { class: "muted" }, "No stolen account names a domain.")
      : h("div", { class: "grid-2" },
          barChart(`Stolen accounts on the ${plural(charted.length, "most affected service")}`,
            charted.map((x) => x.domain), charted.map((x) => x.accounts), SERVICE_COLOUR, signal),
          pagedTable("Affected services", ["Service", "Accounts", "Victims", "Share of victims"], top, (x) =>
            h("tr", { "data-service": x.domain },
              h("td", null, h("span", { class: "value" }, breakable(x.domain))),
              h("td", { class: "num" }, formatCount(x.accounts)),
              h("td", { class: "num" }, formatCount(x.victims)),
              h("td", { class: "num" }, share(x.victims, s.victims))), SERVICES_PER_PAGE)));
}
