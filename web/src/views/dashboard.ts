// Dashboard: the counts the API can give today, each card loading on its
// own so one slow or missing endpoint never blanks the others.
//
// The API has no count endpoint yet, so listings are paged through
// (1000 a page, at most MAX_PAGES pages; past that a card says "at least").

import { ApiError, api, walkPages, type CountResult } from "../api";
import { errorBox } from "../components";
import { formatCount, h, replace, table, time } from "../dom";
import { tlpLabel } from "../tlp";
import type { Alert, Event, IndicatorListItem, RequestList, StealerOperationList } from "../types";

const MAX_PAGES = 20;
const CLOSED_STATES = new Set(["closed", "refused", "withdrawn"]);

interface Card {
  el: HTMLElement;
  set(value: string, note?: string): void;
  unavailable(text: string): void;
  fail(e: unknown): void;
}

function card(id: string, title: string, link?: string): Card {
  const value = h("p", { class: "card-value", "data-count": id }, h("span", { class: "loading" }, "…"));
  const note = h("p", { class: "card-note" }, "Loading…");
  const heading = h("h2", { class: "card-title" }, link ? h("a", { href: link }, title) : title);
  const el = h("section", { class: "card", "aria-busy": "true", "aria-labelledby": `card-${id}` }, heading, value, note);
  heading.id = `card-${id}`;
  return {
    el,
    set(v, n) {
      replace(value, v);
      replace(note, n ?? "");
      el.setAttribute("aria-busy", "false");
    },
    unavailable(text) {
      replace(value, h("span", { class: "muted" }, "—"));
      replace(note, text);
      el.setAttribute("aria-busy", "false");
      el.classList.add("card-unavailable");
    },
    fail(e) {
      replace(value, h("span", { class: "muted" }, "—"));
      replace(note, errorBox(e));
      el.setAttribute("aria-busy", "false");
    },
  };
}

function counted(r: CountResult, n = r.count): string {
  return r.capped ? `≥ ${formatCount(n)}` : formatCount(n);
}

function startOfToday(): number {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function dashboardView(main: HTMLElement, signal: AbortSignal): void {
  const events = card("events", "Events", "/events");
  const indicators = card("indicators", "Live indicators");
  const alerts = card("alerts", "Alerts today");
  const requests = card("requests", "Open 24/7 requests");
  const stealer = card("victims", "Infostealer victims");
  const recent = h("div", null, h("p", { class: "loading", role: "status" }, "Loading the latest events…"));

  replace(
    main,
    h("h1", { tabindex: -1 }, "Dashboard"),
    h("div", { class: "cards" }, events.el, indicators.el, alerts.el, requests.el, stealer.el),
    h("section", { class: "panel", "aria-labelledby": "recent-heading" },
      h("h2", { id: "recent-heading" }, "Latest events"),
      recent),
  );

  const guard = <T>(p: Promise<T>, c: Card, ok: (v: T) => void) =>
    p.then(ok, (e: unknown) => {
      if (!signal.aborted) c.fail(e);
    });

  // Events: count, and keep the newest few (the listing is oldest first).
  const latest: Event[] = [];
  guard(
    walkPages<Event>("/events", "events", (e) => {
      latest.push(e);
      if (latest.length > 5) latest.shift();
    }, { maxPages: MAX_PAGES, signal }),
    events,
    (r) => {
      events.set(counted(r), "that your organisation may read");
      latest.reverse();
      replace(
        recent,
        latest.length === 0
          ? h("p", { class: "muted" }, "No events yet.")
          : table("Latest events", ["TLP", "Event", "Owner", "Created"], latest.map((e) =>
              h("tr", null,
                h("td", null, tlpLabel(e.tlp)),
                h("td", null, h("a", { href: `/events/${encodeURIComponent(e.uuid)}` }, e.title)),
                h("td", null, e.owner.name ?? `#${e.owner.id}`),
                h("td", null, time(e.created)))), { captionHidden: true }),
      );
    },
  ).then(() => {
    // The events card failed: say so where the latest events would be.
    if (events.el.querySelector(".error")) replace(recent, h("p", { class: "muted" }, "The events could not be read."));
  });

  // Live indicators: distinct (type, value) of indicator links that are
  // meant to go live, are not expired and are on no warning list.
  const live = new Set<string>();
  const now = Date.now();
  guard(
    walkPages<IndicatorListItem>("/indicators", "indicators", (i) => {
      if (!i.is_indicator || i.warninglist) return;
      if (i.valid_until && Date.parse(i.valid_until) <= now) return;
      live.add(`${i.type}\u0000${i.value}`);
    }, { maxPages: MAX_PAGES, signal }),
    indicators,
    (r) => indicators.set(counted(r, live.size),
      `distinct values in ${counted(r)} indicator links you may read`),
  );

  // Alerts: today's (last seen since local midnight) and all.
  let today = 0;
  const midnight = startOfToday();
  guard(
    walkPages<Alert>("/alerts", "alerts", (a) => {
      if (Date.parse(a.last_seen) >= midnight) today++;
    }, { maxPages: MAX_PAGES, signal }),
    alerts,
    (r) => alerts.set(formatCount(today), `${counted(r)} in all`),
  );

  // 24/7 requests: open = sent and not yet closed, refused or withdrawn.
  guard(
    api<RequestList>("/requests", { signal }),
    requests,
    (r) => {
      const open = r.requests.filter((q) => q.state !== "draft" && !CLOSED_STATES.has(q.state));
      const overdue = open.filter((q) => q.deadline?.overdue).length;
      const drafts = r.requests.filter((q) => q.state === "draft").length;
      requests.set(formatCount(open.length), `${formatCount(overdue)} overdue · ${formatCount(drafts)} drafts`);
    },
  );

  // Infostealer operations: the endpoint may be absent on older servers.
  api<StealerOperationList>("/stealer/operations", { signal }).then(
    (r) => {
      const victims = r.operations.reduce((n, o) => n + o.victims, 0);
      stealer.set(formatCount(victims), `in ${formatCount(r.operations.length)} operation${r.operations.length === 1 ? "" : "s"}`);
    },
    (e: unknown) => {
      if (signal.aborted) return;
      if (e instanceof ApiError && e.status === 404) stealer.unavailable("Infostealer operations are not available on this server.");
      else stealer.fail(e);
    },
  );
}
