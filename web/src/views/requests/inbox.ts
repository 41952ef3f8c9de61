// The 24/7 inbox: incoming requests, outgoing ones, drafts and (admins)
// every request on the node. The server lists running clocks first, overdue
// and soonest due at the top; that order is kept. The lists refresh
// themselves so a wall screen shows new requests without a reload.

import { api } from "../../api";
import { errorBox, pagedTable, unusedParams } from "../../components";
import { formatTime, h, replace, time } from "../../dom";
import { href, navigate, type Route } from "../../router";
import { identity } from "../../session";
import { tlpLabel } from "../../tlp";
import type { RequestRecord, RequestRecordList, RequestState } from "../../types-requests";
import { CountdownTicker, isOverdue } from "./countdown";
import { REQUEST_STATES, mayActFor, myOrganisationId, requestPath, stateBadge, typeName, urgencyBadge } from "./common";

const REFRESH_MS = 60_000;
const PAGE_SIZE = 25;

type Box = "in" | "out" | "drafts" | "all";

interface BoxSpec {
  box: Box;
  label: string;
  caption: string;
  empty: string;
}

const BOXES: BoxSpec[] = [
  { box: "in", label: "Incoming", caption: "Incoming requests", empty: "No incoming request." },
  { box: "out", label: "Outgoing", caption: "Outgoing requests", empty: "No outgoing request." },
  { box: "drafts", label: "Drafts", caption: "Drafts", empty: "No draft." },
  { box: "all", label: "Every request on this node", caption: "Every request on this node", empty: "No request on this node." },
];

interface Lists {
  in: RequestRecord[];
  out: RequestRecord[];
  drafts: RequestRecord[];
  all: RequestRecord[] | null;
  receivedAt: number;
}

function boxFrom(raw: string | null, isAdmin: boolean): Box {
  if (raw === "out" || raw === "drafts") return raw;
  if (raw === "all" && isAdmin) return "all";
  return "in";
}

function stateFrom(raw: string | null): RequestState | "" {
  return REQUEST_STATES.find((s) => s === raw) ?? "";
}

export function inboxView(main: HTMLElement, route: Route, signal: AbortSignal): void {
  const isAdmin = identity()?.role === "admin";
  const box = boxFrom(route.params.get("box"), isAdmin);
  const state = box === "drafts" ? "" : stateFrom(route.params.get("state"));
  const ticker = new CountdownTicker(signal);
  const boxes = BOXES.filter((b) => b.box !== "all" || isAdmin);

  const tabs = h("nav", { class: "rq-tabs", "aria-label": "Request lists" });
  const listArea = h("div", { class: "results" }, h("p", { class: "loading", role: "status" }, "Loading requests…"));
  const refreshed = h("div", { class: "muted rq-refreshed" });
  const refresh = h("button", { type: "button", onclick: () => void load(true) }, "Refresh");

  const stateSelect = h("select", { id: "rq-f-state", name: "state" },
    h("option", { value: "" }, "Any state"),
    REQUEST_STATES.filter((s) => s !== "draft").map((s) => h("option", { value: s, selected: s === state }, s)));
  const filters = box === "drafts" ? null : h("form", { class: "filters rq-filters", "aria-label": "Filter requests" },
    h("div", { class: "field" }, h("label", { for: "rq-f-state" }, "State"), stateSelect),
    h("div", { class: "field field-button" }, h("button", { type: "submit" }, "Apply")));
  filters?.addEventListener("submit", (ev) => {
    ev.preventDefault();
    navigate(href("/requests", { box: box === "in" ? "" : box, state: stateSelect.value }));
  });

  replace(
    main,
    h("h1", { tabindex: -1 }, "24/7 requests"),
    unusedParams(route.params, {
      box: isAdmin ? ["in", "out", "drafts", "all"] : ["in", "out", "drafts"],
      state: REQUEST_STATES,
    }),
    h("p", { class: "rq-intro" },
      tlpLabel("red"), " Every request is read only by its two parties (and this node's admins). ",
      "Running clocks come first: overdue, then the soonest due."),
    h("div", { class: "rq-toolbar" },
      mayActFor(myOrganisationId() ?? -1)
        ? h("a", { href: "/requests/new", class: "button-link rq-new-button" }, "New request")
        : null,
      refresh,
      refreshed),
    tabs,
    filters,
    listArea,
  );

  let lastSignature = "";
  let shownLists: Lists | null = null;
  let overdueSignature = "";
  // A deadline passes between two fetches: the tabs and the rows follow the
  // countdowns' clock, not only the server's answer.
  ticker.onTick((now) => {
    if (!shownLists) return;
    const signature = overdueCounts(shownLists, now).join(",");
    if (signature !== overdueSignature) drawTabs(shownLists, now);
    for (const tr of listArea.querySelectorAll<HTMLTableRowElement>("tr[data-request]")) {
      const countdown = tr.querySelector<HTMLElement>(".rq-countdown");
      if (countdown) tr.classList.toggle("rq-row-overdue", countdown.dataset.overdue === "true");
    }
  });

  function overdueNow(r: RequestRecord, receivedAt: number, now: number): boolean {
    return r.deadline != null && (r.deadline.overdue || isOverdue(r.deadline, receivedAt, now));
  }

  function overdueCounts(lists: Lists, now: number): number[] {
    return boxes.map((b) => (lists[b.box] ?? []).filter((r) => overdueNow(r, lists.receivedAt, now)).length);
  }

  async function fetchLists(): Promise<Lists> {
    const params = { state: state || null };
    const [incoming, outgoing, all] = await Promise.all([
      api<RequestRecordList>("/requests", { params: { ...params, direction: "in" }, signal }),
      api<RequestRecordList>("/requests", { params: { ...params, direction: "out" }, signal }),
      box === "all" ? api<RequestRecordList>("/requests", { params, signal }) : Promise.resolve(null),
    ]);
    return {
      // A draft is not a request yet: the requested party has nothing to do with it.
      in: incoming.requests.filter((r) => r.state !== "draft"),
      out: outgoing.requests.filter((r) => r.state !== "draft"),
      drafts: outgoing.requests.filter((r) => r.state === "draft"),
      all: all?.requests ?? null,
      receivedAt: Date.now(),
    };
  }

  async function load(byHand: boolean): Promise<void> {
    if (byHand) refreshed.textContent = "Refreshing…";
    let lists: Lists;
    try {
      lists = await fetchLists();
    } catch (e) {
      if (signal.aborted) return;
      // A failed background refresh keeps the list on screen and says so.
      if (lastSignature) refreshed.replaceChildren(errorBox(e, "Could not refresh:"));
      else replace(listArea, errorBox(e));
      return;
    }
    if (signal.aborted) return;
    refreshed.textContent = `Updated ${formatTime(new Date(lists.receivedAt).toISOString())}`;
    const shown = lists[box] ?? [];
    const signature = JSON.stringify([lists.in, lists.out, lists.drafts, lists.all]
      .map((l) => (l ?? []).map((r) => [r.id, r.version])));
    // Redrawing resets the page being read; only do it when something changed.
    if (signature === lastSignature) return;
    lastSignature = signature;
    shownLists = lists;
    // One instant for the tabs and the first page's countdowns; a page
    // turned later is drawn at its own.
    let firstDraw: number | null = Date.now();
    drawTabs(lists, firstDraw);
    replace(listArea, shown.length === 0
      ? h("p", { class: "muted", role: "status" }, state ? `${spec(box).empty.replace(/\.$/, "")} in state ${state}.` : spec(box).empty)
      : pagedTable(spec(box).caption, columns(box), shown,
        (r) => row(r, box, lists.receivedAt, firstDraw ?? Date.now()), PAGE_SIZE, "wide"));
    firstDraw = null;
  }

  function drawTabs(lists: Lists, now: number): void {
    const counts = overdueCounts(lists, now);
    overdueSignature = counts.join(",");
    replace(tabs, h("ul", null, boxes.map((b, i) => {
      const items = lists[b.box];
      const overdue = counts[i];
      const count = items ? ` (${items.length}${overdue ? `, ${overdue} overdue` : ""})` : "";
      return h("li", null, h("a", {
        href: href("/requests", { box: b.box === "in" ? "" : b.box, state: b.box === "drafts" ? "" : state }),
        "aria-current": b.box === box ? "page" : null,
        class: overdue ? "rq-has-overdue" : null,
      }, b.label, count));
    })));
  }

  function row(r: RequestRecord, which: Box, receivedAt: number, now: number): HTMLTableRowElement {
    const me = myOrganisationId();
    const other = which === "all"
      ? `${r.from.name} → ${r.to.name}`
      : r.from.id === me ? r.to.name : r.from.name;
    return h("tr", { "data-request": r.reference, class: overdueNow(r, receivedAt, now) ? "rq-row-overdue" : null },
      h("td", null, h("a", { href: requestPath(r), class: "rq-ref" }, r.reference),
        h("div", { class: "rq-subject" }, r.subject)),
      h("td", null, typeName(r.type)),
      h("td", null, urgencyBadge(r.urgency)),
      h("td", null, other),
      h("td", null, stateBadge(r.state),
        r.state === "draft" && r.missing_fields.length
          ? h("div", { class: "muted rq-small" }, `${r.missing_fields.length} field${r.missing_fields.length === 1 ? "" : "s"} missing`)
          : null),
      h("td", { class: "rq-deadline" }, r.deadline
        ? [ticker.countdown(r.deadline, receivedAt, now), h("div", { class: "muted rq-small" }, r.deadline.kind)]
        : h("span", { class: "muted" }, "no clock running")),
      h("td", null, time(r.updated)));
  }

  void load(false);
  const timer = window.setInterval(() => void load(false), REFRESH_MS);
  signal.addEventListener("abort", () => window.clearInterval(timer), { once: true });
}

function spec(box: Box): BoxSpec {
  return BOXES.find((b) => b.box === box)!;
}

function columns(box: Box): string[] {
  const party = box === "in" ? "From" : box === "all" ? "From → to" : "To";
  return ["Request", "Type", "Urgency", party, "State", "Deadline", "Updated"];
}
