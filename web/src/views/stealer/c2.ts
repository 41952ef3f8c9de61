// The C2 servers to take down, grouped by the network hosting them (the
// takedown package has one file per group: the hosting provider's request).

import { errorBox, pagedTable } from "../../components";
import { breakable, formatCount, formatTime, h, replace } from "../../dom";
import type { StealerC2List, StealerC2Server, StealerHostingGroup, StealerOperationSummary } from "../../types-stealer";
import { UNKNOWN_COUNTRY, placeLabel, plural } from "./shared";

const GROUPS_PER_PAGE = 25;

function groupKey(asn: number | null, country: string | null): string {
  return `${asn ?? 0}/${country || UNKNOWN_COUNTRY}`;
}

export function c2Panel(summary: StealerOperationSummary, c2: Promise<StealerC2List>, signal: AbortSignal): HTMLElement {
  const groups = [...summary.c2_by_asn].sort((a, b) => b.servers - a.servers || a.asn - b.asn || a.country.localeCompare(b.country));
  const body = h("div", null, h("p", { class: "loading", role: "status" }, "Loading the C2 servers…"));
  const panel = h("section", { class: "panel c2-panel", "aria-labelledby": "c2-heading" },
    h("h2", { id: "c2-heading" }, "C2 servers by hosting network"),
    h("p", { class: "muted" },
      `${plural(summary.c2_servers, "C2 server")} from partners' lists, in ${plural(groups.length, "hosting network")} `,
      "(country and ASN from the node's GeoIP at ingest). Open a network's servers for their evidence."),
    body);
  if (groups.length === 0) {
    replace(body, h("p", { class: "muted" }, "No C2 list was ingested into this operation yet."));
    return panel;
  }
  c2.then(
    (list) => {
      if (signal.aborted) return;
      const members = new Map<string, StealerC2Server[]>();
      for (const s of list.c2_servers) {
        const key = groupKey(s.asn, s.country);
        members.set(key, [...(members.get(key) ?? []), s]);
      }
      replace(body, groupTable(groups, (g) => members.get(groupKey(g.asn, g.country)) ?? []));
    },
    (e: unknown) => {
      if (signal.aborted) return;
      // The counts are in the summary; only the servers themselves are missing.
      replace(body, errorBox(e, "The servers and their evidence could not be read."), groupTable(groups, null));
    },
  );
  return panel;
}

function groupTable(groups: StealerHostingGroup[], servers: ((g: StealerHostingGroup) => StealerC2Server[]) | null): HTMLElement {
  return pagedTable("Hosting networks of C2 servers", ["ASN", "AS organisation", "Hosting country", "Servers", "Addresses and evidence"],
    groups, (g) => {
      const asn = g.asn > 0 ? `AS${g.asn}` : "Unknown";
      return h("tr", { "data-asn": String(g.asn), "data-hosting-country": g.country },
        h("td", null, g.asn > 0 ? h("span", { class: "value" }, asn) : h("span", { class: "muted" }, asn)),
        h("td", null, g.as_organisation || h("span", { class: "muted" }, "unknown")),
        h("td", null, placeLabel(g.country)),
        h("td", { class: "num" }, formatCount(g.servers)),
        h("td", null, servers ? serverDetails(asn, servers(g)) : h("span", { class: "muted" }, "—")));
    }, GROUPS_PER_PAGE);
}

function serverDetails(asn: string, servers: StealerC2Server[]): HTMLElement {
  return h("details", { class: "c2-servers" },
    h("summary", null, `Show ${plural(servers.length, "server")}`, h("span", { class: "visually-hidden" }, ` in ${asn}`)),
    h("ul", { class: "c2-list" }, servers.map((s) =>
      h("li", { "data-c2": s.value },
        h("span", { class: "c2-type" }, s.type), " ", h("code", null, breakable(s.value)),
        s.family ? h("span", { class: "muted" }, ` · ${s.family}`) : null,
        h("div", { class: "muted c2-seen" }, seen(s)),
        s.evidence.length === 0
          ? h("div", { class: "muted" }, "No evidence recorded.")
          : h("ul", { class: "c2-evidence", "aria-label": `Evidence for ${s.value}` }, s.evidence.map((e) =>
              h("li", null,
                e.location || e.source ? h("code", null, e.location || e.source) : null,
                e.note ? ` — ${e.note}` : null,
                e.added ? h("span", { class: "muted" }, ` (added ${formatTime(e.added)})`) : null)))))));
}

function seen(s: StealerC2Server): string {
  const parts: string[] = [];
  if (s.first_seen) parts.push(`first seen ${formatTime(s.first_seen)}`);
  if (s.last_seen) parts.push(`last seen ${formatTime(s.last_seen)}`);
  return parts.length ? parts.join(", ") : "no dates reported";
}
