// Events: the list the caller may read, with filters and cursor pages, and
// one event with its indicators. Links to create, edit and add indicators
// appear only where the server would accept the write.

import "./events.css";
import { ApiError, api } from "../api";
import { errorBox, eventTitle, facts, orgName, pagedTable, tagList, unusedParams } from "../components";
import { formatCount, h, replace, table, time } from "../dom";
import { href, navigate, type Route } from "../router";
import { hasRole, identity } from "../session";
import { tlpLabel, tlpText } from "../tlp";
import {
  TLP_LEVELS, type Event, type EventPage, type OrganisationList,
  type RelatedEvents,
} from "../types";
import { indicatorsPanel } from "./event-indicators";
import { stixObjectsPanel } from "./event-objects";

const PAGE_SIZES = ["25", "50", "100", "250"];
const DEFAULT_PAGE_SIZE = "50";

/**
 * history.state of an events page: the title of an event just deleted (the
 * edit screen comes back here). Where a page is and the page before it come
 * from the server (`before`, `prev`), so a page opened from its address
 * alone pages back as one reached by "Next page".
 */
interface PageState {
  deleted?: string;
}

function pageState(state: unknown): PageState {
  const s = state as Partial<PageState> | null;
  return { deleted: typeof s?.deleted === "string" ? s.deleted : undefined };
}

/** Roles the server lets create events and import (MaySubmit in rest_common.cc). */
export function mayWriteEvents(): boolean {
  return hasRole("admin", "analyst", "contributor");
}

/** "medium" as "Medium"; null (no MISP grading) stays null and is not shown. */
function capitalised(word: string | null): string | null {
  return word ? word.charAt(0).toUpperCase() + word.slice(1) : null;
}

/** The server lets only the owner organisation change an event. */
export function mayEditEvent(e: Pick<Event, "owner">): boolean {
  return mayWriteEvents() && identity()?.organisation_id === e.owner.id;
}

/** Deleting also needs a role above contributor (MayDelete in rest_common.cc). */
export function mayDeleteEvent(e: Pick<Event, "owner">): boolean {
  return hasRole("admin", "analyst") && identity()?.organisation_id === e.owner.id;
}

export interface OrganisationChoice {
  id: number;
  name: string;
  /** ISO 3166 alpha-2; empty when the node does not know it */
  country: string;
}

/**
 * The organisations the viewer can name: the node's directory
 * (GET /organisations, read by every member's key), so a private partner
 * without a 24/7 point of contact can be named too. By name.
 */
export async function organisationChoices(signal?: AbortSignal): Promise<OrganisationChoice[]> {
  const { organisations } = await api<OrganisationList>("/organisations", { signal });
  return organisations.map((o) => ({ id: o.id, name: o.name, country: o.country }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function eventsView(main: HTMLElement, route: Route, signal: AbortSignal): void {
  const p = route.params;
  const filters = {
    q: p.get("q") ?? "",
    tlp: p.get("tlp") ?? "",
    tag: p.get("tag") ?? "",
    organisation: p.get("organisation") ?? "",
    since: p.get("since") ?? "",
    limit: pageSize(p.get("limit")),
    // Newest first unless the address asks otherwise: the daily screen shows
    // what just arrived. Page addresses name their order; one with a cursor
    // and no order was bookmarked when oldest first was the only order.
    order: (p.get("order") ?? (p.get("cursor") ? "oldest" : "newest")) === "oldest" ? "oldest" : "newest",
  };
  const cursor = p.get("cursor");
  const { deleted } = pageState(route.state);

  const tlp = h("select", { id: "f-tlp", name: "tlp" },
    h("option", { value: "" }, "Any"),
    TLP_LEVELS.map((t) => h("option", { value: t, selected: t === filters.tlp }, tlpText(t))));
  const q = h("input", { id: "f-q", name: "q", type: "search", value: filters.q, autocomplete: "off", placeholder: "part of a title" });
  const tag = h("input", { id: "f-tag", name: "tag", type: "text", value: filters.tag, autocomplete: "off" });
  const org = h("input", { id: "f-org", name: "organisation", type: "text", value: filters.organisation, autocomplete: "off", list: "f-org-names" });
  const orgNames = h("datalist", { id: "f-org-names" });
  // The browser draws a date field in its locale (mm/dd/yyyy in en-US);
  // the hint says the date as every other screen writes it.
  const since = h("input", { id: "f-since", name: "since", type: "date", value: filters.since, "aria-describedby": "f-since-hint" });
  const sinceHint = h("p", { id: "f-since-hint", class: "hint", "data-testid": "since-hint" });
  const showSince = () => replace(sinceHint, since.value ? `${since.value} (YYYY-MM-DD), from 00:00 UTC` : "YYYY-MM-DD, from 00:00 UTC");
  since.addEventListener("input", showSince);
  since.addEventListener("change", showSince);
  showSince();
  const sizes = PAGE_SIZES.includes(filters.limit) ? PAGE_SIZES : [filters.limit, ...PAGE_SIZES];
  const limit = h("select", { id: "f-limit", name: "limit" },
    sizes.map((n) => h("option", { value: n, selected: n === filters.limit }, n)));
  const order = h("select", { id: "f-order", name: "order" },
    h("option", { value: "newest", selected: filters.order === "newest" }, "Newest first"),
    h("option", { value: "oldest", selected: filters.order === "oldest" }, "Oldest first"));
  const form = h("form", { class: "filters", "aria-label": "Filter events" },
    field("f-q", "Title contains", q),
    field("f-tlp", "TLP", tlp),
    field("f-tag", "Tag", tag),
    field("f-org", "Organisation (name or id)", org, orgNames),
    field("f-since", "Modified since", since, sinceHint),
    field("f-order", "Order", order),
    field("f-limit", "Per page", limit),
    h("div", { class: "field field-button" },
      h("button", { type: "submit", class: "primary" }, "Apply filters"),
      h("a", { href: "/events", class: "button-link" }, "Clear")),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    navigate(href("/events", {
      q: q.value.trim(), tlp: tlp.value, tag: tag.value.trim(), organisation: org.value.trim(), since: since.value,
      order: order.value === "newest" ? "" : order.value,
      limit: limit.value === DEFAULT_PAGE_SIZE ? "" : limit.value,
    }));
  });

  const list = h("div", { class: "results", "aria-live": "polite" },
    h("p", { class: "loading", role: "status" }, "Loading events…"));
  // Suggestions only: the field still takes any name or id, so a failure to
  // load them is not worth a message.
  organisationChoices(signal).then(
    (orgs) => replace(orgNames, orgs.map((o) => h("option", { value: o.name }))),
    () => undefined,
  );
  replace(main,
    h("div", { class: "page-head" },
      h("h1", { tabindex: -1 }, "Events"),
      mayWriteEvents()
        ? h("div", { class: "actions" },
            h("a", { href: "/events/new", class: "button-link primary-link" }, "New event"),
            h("a", { href: "/import", class: "button-link" }, "Import indicators"))
        : null),
    deleted ? h("div", { class: "notice", role: "status" }, `Event “${deleted}” deleted.`) : null,
    unusedParams(p, { order: ["newest", "oldest"] }),
    form, list);

  const base = { q: filters.q, tlp: filters.tlp, tag: filters.tag, organisation: filters.organisation, since: filters.since,
    order: filters.order,
    limit: filters.limit === DEFAULT_PAGE_SIZE ? "" : filters.limit };
  api<EventPage>("/events", {
    params: {
      q: filters.q || null,
      tlp: filters.tlp || null,
      tag: filters.tag || null,
      organisation: filters.organisation || null,
      modified_since: filters.since ? `${filters.since}T00:00:00Z` : null,
      order: filters.order,
      limit: filters.limit,
      cursor,
    },
    signal,
  }).then(
    (page) => {
      // From the server's count, not the pages walked in this tab: a page
      // opened from its address alone (reloaded, shared) says where it is.
      const pageNo = Math.floor(page.before / Number(filters.limit)) + 1;
      const pages = Math.max(1, Math.ceil(page.total / Number(filters.limit)));
      const totalText = page.total === 1 ? "1 event" : `${formatCount(page.total)} events`;
      const goPrev = h("button", {
        type: "button",
        disabled: !page.prev,
        onclick: () => {
          if (page.prev) navigate(href("/events", { ...base, cursor: page.prev }));
        },
      }, "Previous page");
      const goNext = h("button", {
        type: "button",
        disabled: !page.next,
        onclick: () => {
          if (page.next) navigate(href("/events", { ...base, cursor: page.next }));
        },
      }, "Next page");
      replace(
        list,
        page.events.length === 0
          ? h("p", { class: "muted", role: "status" }, cursor ? "No more events." : "No event you may read matches.")
          : table(`Events, page ${pageNo}`, ["TLP", "Title", "Owner", "Tags", "Indicators", "Created", "Modified"],
              page.events.map((e) =>
                h("tr", { "data-event": e.uuid },
                  h("td", null, tlpLabel(e.tlp)),
                  h("td", { class: "title-cell" }, h("a", { href: `/events/${encodeURIComponent(e.uuid)}` }, eventTitle(e))),
                  h("td", null, orgName(e.owner)),
                  h("td", null, tagList(e.tags)),
                  h("td", { class: "num" }, formatCount(e.indicator_count)),
                  h("td", null, time(e.created)),
                  h("td", null, time(e.modified)))), { stack: "wide" }),
        h("nav", { class: "pager", "aria-label": "Event pages" },
          goPrev,
          h("span", { class: "pager-status", "data-testid": "events-pages" },
            `Page ${pageNo} of ${Math.max(pages, pageNo)} · ${totalText}`),
          goNext),
      );
    },
    (e: unknown) => {
      if (!signal.aborted) replace(list, errorBox(e));
    },
  );
}

/** The page size from the URL: a whole number from 1 to 1000 (the server's largest page), else the default. */
function pageSize(raw: string | null): string {
  const n = Number(raw);
  return raw && Number.isInteger(n) && n >= 1 && n <= 1000 ? String(n) : DEFAULT_PAGE_SIZE;
}

function field(id: string, label: string, control: HTMLElement, extra?: HTMLElement): HTMLElement {
  return h("div", { class: "field" }, h("label", { for: id }, label), control, extra);
}

/** An event that could not be read: absent and not readable are said alike. */
export function showEventLoadError(heading: HTMLElement, body: HTMLElement, err: unknown): void {
  if (err instanceof ApiError && err.status === 404) {
    replace(heading, "Event not found");
    document.title = "Event not found — Accord";
    replace(body, h("p", { role: "status" }, "There is no such event, or you may not read it."),
      h("p", { class: "muted" }, `Server: ${err.message}`));
  } else {
    replace(body, errorBox(err));
  }
}

export function eventView(main: HTMLElement, uuid: string, params: URLSearchParams, signal: AbortSignal): void {
  const heading = h("h1", { tabindex: -1 }, "Event");
  const body = h("div", null, h("p", { class: "loading", role: "status" }, "Loading the event…"));
  replace(main, h("p", { class: "crumbs" }, h("a", { href: "/events" }, "← Events")), heading, body);

  // Without its indicators, which the panel below pages: a feed event's
  // are hundreds of MB whole.
  api<Event>(`/events/${encodeURIComponent(uuid)}`, { params: { indicators: "none" }, signal }).then(
    (e) => {
      document.title = `${eventTitle(e)} — Accord`;
      replace(heading, tlpLabel(e.tlp), " ", eventTitle(e));
      const uuidPath = encodeURIComponent(e.uuid);
      replace(
        body,
        mayEditEvent(e)
          ? h("nav", { class: "actions event-actions", "aria-label": "Event actions" },
              h("a", { href: `/events/${uuidPath}/edit`, class: "button-link" }, "Edit event"),
              h("a", { href: href("/import", { event: e.uuid }), class: "button-link" }, "Add indicators"))
          : null,
        h("section", { class: "panel", "aria-label": "About this event" },
          facts([
            ["TLP", tlpLabel(e.tlp)],
            ["Owner", orgName(e.owner)],
            ["Shared with", e.recipients.length ? e.recipients.map(orgName).join(", ") : null],
            ["Tags", tagList(e.tags)],
            ["Created", time(e.created)],
            ["Modified", time(e.modified)],
            ["Source", e.source],
            ["Threat level", capitalised(e.threat_level)],
            ["Analysis", capitalised(e.analysis)],
            ["STIX id", e.stix_id ? h("code", null, e.stix_id) : null],
            ["UUID", h("code", null, e.uuid)],
          ]),
          e.description ? h("p", { class: "description" }, e.description) : null),
        relatedPanel(e.uuid, signal),
        stixObjectsPanel(e.uuid, signal),
        indicatorsPanel(e.uuid, e.indicator_count, params, signal, mayEditEvent(e)),
      );
    },
    (err: unknown) => {
      if (!signal.aborted) showEventLoadError(heading, body, err);
    },
  );
}

/**
 * The correlation of the whole event: the other events (that the caller may
 * read) sharing its values, most shared first. Loaded after the event, so a
 * large event shows at once.
 */
function relatedPanel(uuid: string, signal: AbortSignal): HTMLElement {
  const content = h("div", null, h("p", { class: "loading", role: "status" }, "Looking for related events…"));
  const panel = h("section", { class: "panel related-events", "aria-labelledby": "related-heading" },
    h("h2", { id: "related-heading" }, "Related events"), content);
  api<RelatedEvents>(`/events/${encodeURIComponent(uuid)}/related`, { signal }).then(
    (r) => {
      if (r.events.length === 0) {
        replace(content, h("p", { class: "muted" }, "No other event you may read shares a value with this one."));
        return;
      }
      replace(content,
        h("p", null, (r.events.length === 1 ? "1 other event shares values with this one" : `${formatCount(r.events.length)} other events share values with this one`) +
          (r.truncated ? " (among its first 200,000 values)." : ".")),
        pagedTable(
          "Events sharing values with this event",
          ["Event", "TLP", "Owner", "Shared values", "Modified"],
          r.events,
          (o) => h("tr", null,
            h("td", { class: "title-cell" }, h("a", { href: `/events/${encodeURIComponent(o.uuid)}` }, eventTitle(o))),
            h("td", null, tlpLabel(o.tlp)),
            h("td", null, orgName(o.owner)),
            h("td", { class: "num" }, formatCount(o.shared)),
            h("td", null, time(o.modified))),
          25,
        ));
    },
    (err: unknown) => {
      if (!signal.aborted) replace(content, errorBox(err));
    },
  );
  return panel;
}
