// /requests/{handle}: one request with its parties, clocks, legal fields,
// history, links and attachments, and what the viewer may do with it. A
// request the viewer's organisation is not a party to answers 404 like one
// that does not exist, and nothing of it is shown.

import { ApiError, api, apiDownload, apiSend, describeError } from "../../api";
import { errorBox, eventTitle, facts, pagedTable } from "../../components";
import { breakable, h, replace, table, time } from "../../dom";
import { href } from "../../router";
import type { Route } from "../../router";
import { tlpLabel } from "../../tlp";
import type { Event } from "../../types";
import type {
  ClockPolicy, LocalTime, RequestFieldSpec, RequestHistoryEntry, RequestLink, RequestLinkKind, RequestTypeSpec, RequestView,
} from "../../types-requests";
import { actionsPanel } from "./actions";
import { type Flash, apiPath, flashOf, formatBytes, mayActFor, myOrganisationId, requestClocks, requestTypes, stateBadge, typeName, urgencyBadge } from "./common";
import { CountdownTicker } from "./countdown";
import { type DraftEdits, newDraftEdits, requestForm } from "./form";

const HISTORY_PAGE = 50;

export function requestScreen(main: HTMLElement, handle: string, route: Route, signal: AbortSignal): void {
  const ticker = new CountdownTicker(signal);
  const heading = h("h1", { tabindex: -1 }, `Request ${handle}`);
  const body = h("div", null, h("p", { class: "loading", role: "status" }, "Loading the request…"));
  replace(main, h("p", { class: "crumbs" }, h("a", { href: "/requests" }, "← 24/7 requests")), heading, body);

  // A message from the screen before (saved, sent) is shown once, not again on reload.
  const firstFlash = flashOf(route.state);
  if (firstFlash) history.replaceState(null, "", location.href);

  let types: RequestTypeSpec[] = [];
  let clocks: ClockPolicy | null = null;
  // What was typed into a draft's form and not saved yet survives the
  // re-render after a note, link or file is added.
  let unsaved: DraftEdits | null = null;

  function load(flash: Flash | null): void {
    Promise.all([
      api<RequestView>(apiPath(handle), { signal }),
      // Labels and legal bases of the fields; without them the names are shown.
      requestTypes().then((t) => t.types, () => [] as RequestTypeSpec[]),
      requestClocks(signal).catch((): ClockPolicy | null => null),
    ]).then(
      ([view, t, c]) => {
        if (signal.aborted) return;
        types = t;
        clocks = c;
        render(view, Date.now(), flash);
      },
      (e: unknown) => {
        if (signal.aborted) return;
        if (e instanceof ApiError && e.status === 404) {
          replace(heading, "Request not found");
          document.title = "Request not found — Accord";
          replace(body,
            h("p", { role: "status" }, "There is no such request, or your organisation is not a party to it."),
            h("p", { class: "muted" }, `Server: ${e.message}`));
        } else {
          replace(body, errorBox(e));
        }
      },
    );
  }

  function render(view: RequestView, receivedAt: number, flash: Flash | null): void {
    document.title = `${view.reference} — Accord`;
    replace(heading, tlpLabel("red"), " ", view.reference, " ", stateBadge(view.state));
    const spec = types.find((t) => t.type === view.type) ?? null;
    const mayAct = mayActFor(view.from.id, view.to.id);
    // A closed, refused or withdrawn request's record is final: the server
    // takes no more notes, links or files for it.
    const final = view.state === "closed" || view.state === "refused" || view.state === "withdrawn";
    const mayAdd = mayAct && !final;
    const editsDraft = view.state === "draft" && view.allowed_actions.includes("send") && spec !== null;
    const after = (next: RequestView, text: string) => render(next, Date.now(), { kind: "info", text });

    const flashBox = flash
      ? h("div", { class: flash.kind === "error" ? "error" : "notice", role: flash.kind === "error" ? "alert" : "status", tabindex: -1 }, flash.text)
      : null;

    replace(body,
      h("p", { class: "rq-subject-line" }, view.subject),
      flashBox,
      summary(view),
      clocksPanel(view, receivedAt, ticker),
      actionsPanel(view, {
        signal,
        clocks,
        sendInForm: editsDraft,
        done: after,
        reload: () => load(null),
      }),
      editsDraft
        ? requestForm({
            types, clocks, recipients: [], draft: view, initialType: null, signal,
            edits: unsaved?.requestId === view.id ? unsaved : (unsaved = newDraftEdits(view)),
            done: (next, outcome, sendError) => {
              unsaved = null;
              render(next, Date.now(), sendError
              ? { kind: "error", text: `Saved, but not sent. ${describeError(sendError)}` }
              : { kind: "info", text: outcome === "sent" ? `Sent to ${next.to.name}.` : "Draft saved." });
            },
          })
        : fieldsPanel(view, spec),
      noticesPanel(view),
      historyPanel(view, mayAdd, signal, after),
      linksPanel(view, mayAdd, signal, after),
      attachmentsPanel(view, mayAdd, signal, () => load({ kind: "info", text: "File attached." })),
      documentPanel(view, signal),
      mayAct ? null : h("p", { class: "muted" },
        "You can read this request; only its parties' admins, analysts and points of contact act on it."),
      mayAct && final ? h("p", { class: "muted" },
        `This request is ${view.state}: its record is final and takes no more notes, links or files.`) : null,
    );
    flashBox?.focus();
  }

  load(firstFlash);
}

function summary(view: RequestView): HTMLElement {
  const me = myOrganisationId();
  const direction = view.from.id === me ? "Outgoing: your organisation asks"
    : view.to.id === me ? "Incoming: your organisation is asked"
    : "Oversight: your organisation is not a party";
  const party = (p: RequestView["from"]) =>
    h("span", null, p.name, p.country ? ` (${p.country})` : "", p.time_zone ? h("span", { class: "muted" }, ` · ${p.time_zone}`) : null);
  return h("section", { class: "panel", "aria-label": "About this request" },
    facts([
      ["State", stateBadge(view.state)],
      ["Type", view.type_description || typeName(view.type)],
      ["Urgency", urgencyBadge(view.urgency)],
      ["Direction", direction],
      ["Requesting party", party(view.from)],
      ["Requested party", party(view.to)],
      ["Created", time(view.created)],
      ["Updated", time(view.updated)],
      ["Identifier", h("code", null, view.id)],
    ]));
}

const CLOCK_ROWS: [keyof RequestView["local_times"], string][] = [
  ["sent_at", "Sent"],
  ["ack_due", "Acknowledgement due"],
  ["acknowledged_at", "Acknowledged"],
  ["executed_at", "Executed"],
  ["preserved_until", "Preserved until"],
];

function clocksPanel(view: RequestView, receivedAt: number, ticker: CountdownTicker): HTMLElement {
  const d = view.deadline;
  const running = d
    ? h("p", { class: "rq-deadline-big", "data-testid": "deadline" },
        h("span", null, d.kind === "acknowledgement" ? "Acknowledgement deadline: " : "Preservation expiry: "),
        ticker.countdown(d, receivedAt),
        h("span", { class: "muted rq-small" }, " (", time(d.due), ")"))
    : h("p", { class: "muted" }, view.state === "draft" ? "No clock runs until the request is sent." : "No clock is running.");
  const zone = (name: string, tz: string | undefined) => `${name} (${tz ?? "UTC"})`;
  const rows = CLOCK_ROWS.filter(([key]) => view.local_times[key]).map(([key, label]) => {
    const t = view.local_times[key] as LocalTime;
    return h("tr", null, h("th", { scope: "row" }, label), h("td", null, time(t.utc)), h("td", null, t.requester), h("td", null, t.recipient));
  });
  if (view.closed_at) rows.push(h("tr", null, h("th", { scope: "row" }, "Closed"), h("td", null, time(view.closed_at)), h("td"), h("td")));
  return h("section", { class: "panel rq-clocks", "aria-labelledby": "rq-clocks-heading" },
    h("h2", { id: "rq-clocks-heading" }, "Clocks"),
    running,
    rows.length
      ? table("Clocks in UTC and in each party's time zone",
          ["Clock", "UTC", zone(view.from.name, view.from.time_zone), zone(view.to.name, view.to.time_zone)], rows, { captionHidden: true })
      : null);
}

function fieldsPanel(view: RequestView, spec: RequestTypeSpec | null): HTMLElement {
  const specs: RequestFieldSpec[] = spec?.fields ?? [];
  // Fields the spec does not know (an older or newer server) are still shown.
  const extra = Object.keys(view.fields).filter((n) => !specs.some((s) => s.name === n))
    .map((name): RequestFieldSpec => ({ name, label: name, basis: "", required: false }));
  const rows = [...specs, ...extra].map((f) => {
    const value = view.fields[f.name];
    const missing = view.missing_fields.includes(f.name);
    return h("tr", { "data-field": f.name },
      h("th", { scope: "row" }, f.label, f.basis ? h("div", { class: "rq-basis" }, f.basis) : null),
      h("td", { class: "rq-value" },
        value && !missing ? value
          : missing ? h("strong", { class: "rq-missing-value" }, "missing")
          : h("span", { class: "muted" }, "—")));
  });
  return h("section", { class: "panel", "aria-labelledby": "rq-fields-heading" },
    h("h2", { id: "rq-fields-heading" }, "Legal fields"),
    table("The request's legal fields", ["Field", "Value"], rows, { captionHidden: true }));
}

const HISTORY_WORDS: Record<string, string> = {
  create: "created", edit: "edited", send: "sent", ack: "acknowledged", start: "started work",
  execute: "executed", extend: "extended", close: "closed", refuse: "refused", withdraw: "withdrew",
  note: "note", link: "linked", attach: "attached a file", reminder: "reminder", escalation: "escalation", expired: "expired",
};

/** What the clocks raised for the viewer's organisation; nothing when there is none. */
function noticesPanel(view: RequestView): HTMLElement | null {
  if (view.notices.length === 0) return null;
  return h("section", { class: "panel", "aria-labelledby": "rq-notices-heading" },
    h("h2", { id: "rq-notices-heading" }, `Reminders and escalations: ${view.notices.length}`),
    pagedTable("Reminders and escalations", ["When", "Kind", "For", "Sent to", "Message"], view.notices, (n) =>
      h("tr", { class: n.kind === "reminder" ? null : "rq-notice-urgent" },
        h("td", null, time(n.created)),
        h("td", null, n.kind),
        h("td", null, n.organisation),
        h("td", null, n.addressee),
        h("td", null, n.message)), HISTORY_PAGE));
}

function historyRow(e: RequestHistoryEntry): HTMLTableRowElement {
  const change = e.from_state !== e.to_state
    ? (e.from_state ? `${e.from_state} → ${e.to_state}` : e.to_state)
    : null;
  return h("tr", { "data-action": e.action },
    h("td", null, time(e.time)),
    h("td", null, e.organisation || "this node", h("div", { class: "muted rq-small" }, e.actor)),
    h("td", null, HISTORY_WORDS[e.action] ?? e.action, change ? h("div", { class: "rq-small" }, change) : null),
    h("td", { class: "rq-value" }, e.reason));
}

function historyPanel(view: RequestView, mayAct: boolean, signal: AbortSignal, after: (v: RequestView, text: string) => void): HTMLElement {
  const note = h("textarea", { id: "rq-note", name: "text", rows: 3, maxlength: 65536 });
  const outcome = h("div", { class: "rq-outcome" });
  const submit = h("button", { type: "submit" }, "Add note");
  const form = mayAct ? h("form", { class: "rq-note-form", "aria-label": "Add a note" },
    h("div", { class: "rq-field" }, h("label", { for: "rq-note" }, "Note"), note),
    h("div", { class: "rq-form-buttons" }, submit),
    outcome) : null;
  form?.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (note.value.trim() === "") {
      replace(outcome, h("p", { class: "error", role: "alert" }, "Write the note first."));
      note.focus();
      return;
    }
    submit.disabled = true;
    api<RequestView>(`${apiPath(view.id)}/notes`, { method: "POST", body: { text: note.value }, signal }).then(
      (next) => after(next, "Note added to the history."),
      (e: unknown) => {
        if (signal.aborted) return;
        submit.disabled = false;
        replace(outcome, errorBox(e, "The note was not added."));
      });
  });
  return h("section", { class: "panel", "aria-labelledby": "rq-history-heading" },
    h("h2", { id: "rq-history-heading" }, `History: ${view.history.length} entr${view.history.length === 1 ? "y" : "ies"}`),
    pagedTable("History of the request", ["When", "Who", "What", "Reason or note"], view.history, historyRow, HISTORY_PAGE),
    form);
}

/** The kinds of record in words. */
const LINK_KIND_NAMES: Record<RequestLinkKind, string> = { event: "Event", observable: "Indicator", operation: "Infostealer operation" };

/**
 * A linked event by its title when the viewer may read it (the other party
 * may not: the event keeps its TLP), else its uuid, said so. Each event is
 * asked for once per page.
 */
function eventTarget(uuid: string, titles: Map<string, Promise<Event | null>>, signal: AbortSignal): HTMLElement {
  const cell = h("span", { class: "rq-link-event" }, h("code", null, uuid), h("span", { class: "muted" }, " (looking it up…)"));
  let lookup = titles.get(uuid);
  if (!lookup) {
    lookup = api<Event>(`/events/${encodeURIComponent(uuid)}`, { params: { indicators: "none" }, signal }).catch((e: unknown) => {
      if (e instanceof ApiError && (e.status === 404 || e.status === 403)) return null;
      throw e;
    });
    titles.set(uuid, lookup);
  }
  lookup.then(
    (e) => {
      if (e === null) {
        replace(cell, h("code", null, uuid), h("span", { class: "muted" }, " (not readable by you)"));
        return;
      }
      replace(cell, tlpLabel(e.tlp), " ", h("a", { href: `/events/${encodeURIComponent(e.uuid)}` }, eventTitle(e)));
    },
    (e: unknown) => {
      if (signal.aborted) return;
      // Not known either way: the link, and why there is no title.
      replace(cell, h("a", { href: `/events/${encodeURIComponent(uuid)}` }, h("code", null, uuid)),
        h("span", { class: "muted" }, ` (its title could not be read: ${describeError(e)})`));
    },
  );
  return cell;
}

function linkTarget(link: RequestLink, titles: Map<string, Promise<Event | null>>, signal: AbortSignal): HTMLElement {
  if (link.kind === "event") return eventTarget(link.ref, titles, signal);
  if (link.kind === "operation") return h("a", { href: `/stealer/${encodeURIComponent(link.ref)}` }, link.ref);
  // "domain:evil.example" (the server stores observables typed and normalized).
  const sep = link.ref.indexOf(":");
  const type = sep > 0 ? link.ref.slice(0, sep) : "";
  const value = sep > 0 ? link.ref.slice(sep + 1) : link.ref;
  return h("span", null,
    h("a", { href: href("/search", { q: value, type }), class: "value" }, h("code", null, breakable(value))),
    type ? h("span", { class: "muted" }, ` (${type})`) : null);
}

const LINK_KINDS: [RequestLinkKind, string][] = [
  ["event", "Event (uuid)"], ["observable", "Observable (value, or type:value)"], ["operation", "Infostealer operation (name)"],
];

function linksPanel(view: RequestView, mayAct: boolean, signal: AbortSignal, after: (v: RequestView, text: string) => void): HTMLElement {
  const titles = new Map<string, Promise<Event | null>>();
  const kind = h("select", { id: "rq-link-kind", name: "kind" }, LINK_KINDS.map(([k, label]) => h("option", { value: k }, label)));
  const ref = h("input", { id: "rq-link-ref", name: "ref", type: "text", autocomplete: "off", spellcheck: "false" });
  const outcome = h("div", { class: "rq-outcome" });
  const submit = h("button", { type: "submit" }, "Add link");
  const form = mayAct ? h("form", { class: "filters rq-inline-form", "aria-label": "Link a record" },
    h("div", { class: "field" }, h("label", { for: "rq-link-kind" }, "Kind"), kind),
    h("div", { class: "field field-grow" }, h("label", { for: "rq-link-ref" }, "Record"), ref),
    h("div", { class: "field field-button" }, submit)) : null;
  form?.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (!ref.value.trim()) {
      ref.focus();
      return;
    }
    submit.disabled = true;
    api<RequestView>(`${apiPath(view.id)}/links`, { method: "POST", body: { kind: kind.value, ref: ref.value.trim() }, signal }).then(
      (next) => after(next, "Link added."),
      (e: unknown) => {
        if (signal.aborted) return;
        submit.disabled = false;
        replace(outcome, errorBox(e, "The link was not added."));
      });
  });
  return h("section", { class: "panel", "aria-labelledby": "rq-links-heading" },
    h("h2", { id: "rq-links-heading" }, `Linked records: ${view.links.length}`),
    view.links.length === 0
      ? h("p", { class: "muted" }, "No linked event, observable or operation.")
      : pagedTable("Linked records", ["Kind", "Record", "Added"], view.links,
          (l) => h("tr", { "data-link": l.kind },
            h("td", null, LINK_KIND_NAMES[l.kind] ?? l.kind),
            h("td", null, linkTarget(l, titles, signal)),
            h("td", null, time(l.added)))),
    form, outcome);
}

function attachmentsPanel(view: RequestView, mayAct: boolean, signal: AbortSignal, attached: () => void): HTMLElement {
  const outcome = h("div", { class: "rq-outcome" });
  const file = h("input", { id: "rq-attach-file", name: "file", type: "file" });
  const submit = h("button", { type: "submit" }, "Attach");
  const form = mayAct ? h("form", { class: "filters rq-inline-form", "aria-label": "Attach a file" },
    h("div", { class: "field field-grow" }, h("label", { for: "rq-attach-file" }, "File (up to 32 MiB; its SHA-256 is recorded)"), file),
    h("div", { class: "field field-button" }, submit)) : null;
  form?.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) {
      file.focus();
      return;
    }
    submit.disabled = true;
    replace(outcome, h("p", { class: "loading", role: "status" }, `Uploading ${chosen.name}…`));
    apiSend(`${apiPath(view.id)}/attachments`, chosen, chosen.type || "application/octet-stream",
      { params: { name: chosen.name }, signal }).then(
      () => attached(),
      (e: unknown) => {
        if (signal.aborted) return;
        submit.disabled = false;
        replace(outcome, errorBox(e, `${chosen.name} was not attached.`));
      });
  });
  const download = (id: number, name: string) => {
    replace(outcome);
    apiDownload(`${apiPath(view.id)}/attachments/${id}`, name, { signal }).catch((e: unknown) => {
      if (!signal.aborted) replace(outcome, errorBox(e, `${name} could not be downloaded.`));
    });
  };
  return h("section", { class: "panel", "aria-labelledby": "rq-attachments-heading" },
    h("h2", { id: "rq-attachments-heading" }, `Attachments: ${view.attachments.length}`),
    view.attachments.length === 0
      ? h("p", { class: "muted" }, "No file attached.")
      : pagedTable("Attachments", ["File", "Size", "Type", "SHA-256", "Added", "By", ""], view.attachments,
          (a) => h("tr", { "data-attachment": String(a.id) },
            h("td", null, a.name),
            h("td", { class: "num rq-nowrap" }, formatBytes(a.size)),
            h("td", null, a.media_type),
            h("td", null, h("code", { class: "rq-hash" }, a.sha256)),
            h("td", null, time(a.added)),
            h("td", null, a.actor),
            h("td", null, h("button", { type: "button", "aria-label": `Download ${a.name}`, onclick: () => download(a.id, a.name) }, "Download")))),
    form, outcome);
}

function documentPanel(view: RequestView, signal: AbortSignal): HTMLElement {
  const outcome = h("div", { class: "rq-outcome" });
  // The document needs the key, so it is fetched and handed over as a file
  // (never opened from a URL carrying the key, nor rendered on this origin).
  const button = h("button", {
    type: "button",
    onclick: () => {
      replace(outcome);
      apiDownload(`${apiPath(view.id)}/document`, `${view.reference}.html`, { signal }).then(
        (name) => replace(outcome, h("p", { class: "muted", role: "status" }, `Downloaded ${name}: open it in a browser to print it.`)),
        (e: unknown) => { if (!signal.aborted) replace(outcome, errorBox(e, "The document could not be downloaded.")); });
    },
  }, "Download the printable document");
  return h("section", { class: "panel", "aria-labelledby": "rq-document-heading" },
    h("h2", { id: "rq-document-heading" }, "Printable document"),
    h("p", { class: "hint" }, "The legal fields with their basis, the clocks in both parties' zones, the attachments' hashes and the history, as one HTML page to print or save as PDF."),
    button, outcome);
}
