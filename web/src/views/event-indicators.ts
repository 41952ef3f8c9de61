// An event's indicators, a page at a time from GET /events/{uuid}/indicators:
// a feed event holds millions of values, which the page never reads whole.
// The server narrows them by a part of the value and by type; the type menu
// offers the types the event holds, with their counts. The filter is kept in
// the page's address (?value=...&type=..., replaced, not pushed, as the
// reader types), so a reload or Back from an indicator's search shows the
// same rows. Whoever may edit the event may change a value's context (its
// role, confidence, expiry, comment, whether it is matched: PATCH with the
// value in indicators, which replaces its context, after reading it again
// to see that nobody changed it meanwhile) or remove it (a false
// positive), after confirming: PATCH remove_indicators.

import { api } from "../api";
import type { EventWriteResult } from "../types-events";
import { errorBox, unusedParams } from "../components";
import { append, breakable, formatCount, h, replace, table, time } from "../dom";
import { href } from "../router";
import { OBSERVABLE_TYPES, type EventIndicatorPage, type Indicator } from "../types";

const PAGE_SIZE = 100;
/** How long typing may pause before the rows are asked for again. */
const DEBOUNCE_MS = 150;
const CAPTION = "Indicators of this event";
const HEAD = ["Type", "Value", "Status", "Role", "Confidence", "First seen", "Last seen", "Valid until", "Comment"];
/** Offered as the role is typed; any other word is kept as written. */
const ROLE_SUGGESTIONS = ["c2", "payload-delivery", "phishing", "exfiltration", "network-activity"];

interface IndicatorFilter {
  /** trimmed; matched case-insensitively anywhere in the value */
  value: string;
  /** one of the event's types, or "" for all */
  type: string;
}

export function indicatorsPanel(uuid: string, count: number, params: URLSearchParams, signal: AbortSignal,
                                editable = false): HTMLElement {
  const heading = h("h2", { id: "ind-heading" }, `Indicators: ${formatCount(count)}`);
  const panel = h("section", { class: "panel event-indicators", "aria-labelledby": "ind-heading" }, heading);
  if (count === 0) {
    panel.append(h("p", { class: "muted" }, "This event has no indicators."));
    return panel;
  }

  const wantedType = params.get("type") ?? "";
  const filter: IndicatorFilter = {
    value: (params.get("value") ?? "").trim(),
    // A name that is no type at all is not sent (the server would refuse it).
    type: (OBSERVABLE_TYPES as readonly string[]).includes(wantedType) ? wantedType : "",
  };

  const valueInput = h("input", {
    id: "ind-value", name: "value", type: "search", value: filter.value, autocomplete: "off",
    spellcheck: "false", placeholder: "part of a value", "aria-controls": "ind-results",
  });
  const allTypes = () => h("option", { value: "" }, `All types (${formatCount(count)})`);
  // Until the first page says which types the event holds, the menu shows
  // the one asked for.
  const typeSelect = h("select", { id: "ind-type", name: "type", "aria-controls": "ind-results" },
    allTypes(), filter.type ? h("option", { value: filter.type, selected: true }, filter.type) : null);
  const form = h("form", { class: "filters indicator-filters", role: "search", "aria-label": "Filter indicators" },
    h("div", { class: "field field-grow" }, h("label", { for: "ind-value" }, "Find a value"), valueInput),
    h("div", { class: "field" }, h("label", { for: "ind-type" }, "Type"), typeSelect));
  const notices = h("div");
  const status = h("p", { class: "filter-status", role: "status", "aria-live": "polite", "data-testid": "indicators-shown" });
  const results = h("div", { id: "ind-results" }, h("p", { class: "loading", role: "status" }, "Loading the indicators…"));

  // Says what a removal or an edit did; focused after it, as the row is
  // gone or drawn again.
  const removal = h("div", { class: "removal-status", role: "status", tabindex: -1, hidden: true });
  const say = (content: Node) => {
    removal.hidden = false;
    replace(removal, content);
    removal.focus();
  };
  // The one context form open, if any: another row's Edit closes it.
  let editing: { row: HTMLTableRowElement; close: (refocus: boolean) => void } | null = null;
  let types: EventIndicatorPage["types"] = null;
  // Moves with every new filter: a removal answered after the filter
  // changed leaves the new filter's rows to their own load.
  let filterGeneration = 0;
  // cursors[i] asks for page i of the current filter; the first needs none.
  let cursors: (string | null)[] = [null];
  // How many pass the current filter: the first page says (a walk of the
  // event's values on the server, not redone for the pages after it).
  let total = 0;
  // Only the answer to the latest question is shown: typing asks again
  // before the last answer came.
  let asking: AbortController | null = null;
  signal.addEventListener("abort", () => asking?.abort(), { once: true });

  const showTypes = (counts: NonNullable<EventIndicatorPage["types"]>) => {
    types = counts;
    replace(typeSelect, allTypes(),
      counts.map(({ type, count: n }) => h("option", { value: type, selected: type === filter.type }, `${type} (${formatCount(n)})`)));
    replace(notices, unusedParams(params, { type: ["", ...counts.map((t) => t.type)] }));
  };

  const load = (page: number, focus?: "prev" | "next") => {
    asking?.abort();
    const mine = new AbortController();
    asking = mine;
    api<EventIndicatorPage>(`/events/${encodeURIComponent(uuid)}/indicators`, {
      params: {
        limit: PAGE_SIZE, type: filter.type || null, q: filter.value || null, cursor: cursors[page],
        // The type menu's counts, asked for once.
        types: types === null ? "true" : null,
      },
      signal: mine.signal,
    }).then(
      (res) => {
        if (mine.signal.aborted) return;
        if (res.types && types === null) {
          showTypes(res.types);
          // A type the event does not hold: shown as not applied, and all types instead.
          if (filter.type && !res.types.some((t) => t.type === filter.type)) {
            filter.type = "";
            typeSelect.value = "";
            ++filterGeneration;
            cursors = [null];
            load(0);
            remember();
            return;
          }
        }
        if (res.next) cursors[page + 1] = res.next;
        if (res.total !== null) total = res.total;
        draw(res, page, focus);
      },
      (e: unknown) => {
        if (!mine.signal.aborted) replace(results, errorBox(e, "The indicators could not be read."));
      },
    );
  };

  // The table is replaced only once the new rows are here, so it does not
  // move, or empty, while the reader types.
  const draw = (res: EventIndicatorPage, page: number, focus?: "prev" | "next") => {
    // A removal emptied the last page: the one before it.
    if (res.indicators.length === 0 && page > 0) {
      load(page - 1);
      return;
    }
    const head = editable ? [...HEAD, "Change"] : HEAD;
    editing = null;  // its row goes with the table
    const rows = res.indicators.map((i) => {
      const row = indicatorRow(i);
      if (editable) {
        row.append(h("td", { class: "row-action" },
          h("div", { class: "row-actions" }, editControl(i, row, page, head.length), removeControl(i, page))));
      }
      return row;
    });
    replace(status, `Showing ${formatCount(total)} of ${formatCount(count)}`);
    if (total === 0 || (res.indicators.length === 0 && page === 0)) {
      replace(results, h("p", { class: "muted" }, "No indicator of this event matches."));
      return;
    }
    const pages = Math.max(page + 1, Math.ceil(total / PAGE_SIZE));
    const prev = h("button", { type: "button", disabled: page === 0, onclick: () => load(page - 1, "prev") }, "Previous page");
    const next = h("button", { type: "button", disabled: !res.next, onclick: () => load(page + 1, "next") }, "Next page");
    replace(results, h("div", { class: "paged" },
      table(CAPTION, head, rows, { captionHidden: true, stack: "wide" }),
      pages > 1
        ? h("nav", { class: "pager", "aria-label": `${CAPTION}: pages` },
            prev,
            h("span", { class: "pager-status", "aria-live": "polite" },
              `Page ${page + 1} of ${formatCount(pages)} (${formatCount(total)} in all)`),
            next)
        : null));
    if (focus === "prev") (prev.disabled ? next : prev).focus();
    if (focus === "next") (next.disabled ? prev : next).focus();
  };

  // After a write: this page of the filter it was made under (`removed`
  // rows fewer), or the first page of a filter typed meanwhile.
  const reloadAfterWrite = (askedUnder: number, page: number, removed = 0) => {
    if (askedUnder === filterGeneration) {
      total = Math.max(0, total - removed);
      load(page);
    } else {
      cursors = [null];
      load(0);
    }
  };

  // "Edit…": a form in a row under the value's, with its context as it is.
  // The whole context is sent (PATCH replaces it); the dates it was seen
  // are the sources' and are kept by the server.
  const editControl = (i: Indicator, row: HTMLTableRowElement, page: number, columns: number): HTMLButtonElement => {
    const button = h("button", {
      type: "button", class: "small", "aria-expanded": "false", "aria-label": `Edit the context of ${i.value}…`,
    }, "Edit…");
    button.addEventListener("click", () => {
      if (editing?.row === row) {
        editing.close(true);
        return;
      }
      editing?.close(false);
      // The form starts from the value's context as the node holds it now:
      // the row may be older than an import that changed it since, and
      // the form sends back every field.
      button.disabled = true;
      currentContext(i).then(
        (now) => {
          button.disabled = false;
          if (signal.aborted || !row.isConnected) return;
          if (now === "gone") {
            say(h("p", { class: "notice" }, `${i.value} is no longer in this event.`));
            count = Math.max(0, count - 1);
            replace(heading, `Indicators: ${formatCount(count)}`);
            types = null;  // the type menu's counts, asked for again
            load(page);
            return;
          }
          editing?.close(false);
          editing = contextEditor(now ?? i, row, button, page, columns);
        },
        (err: unknown) => {
          button.disabled = false;
          if (signal.aborted) return;
          say(errorBox(err, `The context of ${i.value} could not be read.`));
        },
      );
    });
    return button;
  };

  // The value's row as the server has it now; "gone" when the event no
  // longer holds it, null when a page of values containing it does not
  // reach it (then the row shown is used).
  const currentContext = async (i: Indicator): Promise<Indicator | "gone" | null> => {
    const res = await api<EventIndicatorPage>(`/events/${encodeURIComponent(uuid)}/indicators`, {
      params: { q: i.value, type: i.type, limit: 1000 }, signal,
    });
    const found = res.indicators.find((x) => x.type === i.type && x.value === i.value);
    if (found) return found;
    return res.next ? null : "gone";
  };

  let editorIds = 0;
  const contextEditor = (i: Indicator, row: HTMLTableRowElement, button: HTMLButtonElement, page: number,
                         columns: number) => {
    const id = `ctx-${++editorIds}`;
    // The context the form was filled from, or last saved over knowingly.
    let loaded = i;
    const field = (label: string, control: HTMLElement, hint?: string) => {
      control.id = `${id}-${control.getAttribute("name")}`;
      if (hint) control.setAttribute("aria-describedby", `${control.id}-hint`);
      return h("div", { class: "form-field" }, h("label", { for: control.id }, label),
        hint ? h("p", { id: `${control.id}-hint`, class: "hint" }, hint) : null, control);
    };
    const roleInput = h("input", { name: "role", value: i.role ?? "", list: `${id}-roles`, autocomplete: "off", spellcheck: "false" });
    const confidenceInput = h("input", {
      name: "confidence", type: "number", min: 0, max: 100, step: 1, inputmode: "numeric",
      value: i.confidence === null ? "" : String(i.confidence),
    });
    // A date: the value stops being matched at 00:00 UTC that day. An
    // expiry left as it was is sent as it was, with its time of day.
    const validDay = i.valid_until ? i.valid_until.slice(0, 10) : "";
    const validInput = h("input", { name: "valid_until", type: "date", value: validDay });
    const liveInput = h("input", {
      id: `${id}-live`, name: "is_indicator", type: "checkbox", checked: i.is_indicator, "aria-describedby": `${id}-live-hint`,
    });
    const familyInput = h("input", { name: "family", value: i.family ?? "", autocomplete: "off", spellcheck: "false" });
    const commentInput = h("textarea", { name: "comment", rows: 2 }, i.comment ?? "");
    const outcome = h("div");
    const save = h("button", { type: "submit" }, "Save");
    const cancel = h("button", { type: "button" }, "Cancel");
    const form = h("form", { id, class: "context-editor", "aria-label": `Context of ${i.value}`, novalidate: true },
      h("datalist", { id: `${id}-roles` }, ROLE_SUGGESTIONS.map((r) => h("option", { value: r }))),
      h("div", { class: "form-row" },
        field("Role", roleInput, "c2, payload-delivery, phishing… or your own word"),
        field("Confidence (0–100)", confidenceInput, "Empty: not stated"),
        field("Expires at 00:00 UTC on", validInput, "Empty: never expires; today or an earlier day ends it now"),
        field("Malware family", familyInput, "Alerts on this value name it; empty: none")),
      h("div", { class: "form-field context-live" },
        h("label", null, liveInput, "Match telemetry against it (a live indicator)"),
        h("p", { id: `${id}-live-hint`, class: "hint" }, "Off: kept as observed only; this node raises no alert on it")),
      h("div", { class: "form-field form-field-wide" }, h("label", { for: `${id}-comment` }, "Comment"), commentInput),
      // The event's STIX is the source's, served over TAXII as it came.
      i.stix_id
        ? h("p", { class: "hint" }, `This value came with the STIX object ${i.stix_id}. The change is this node's: `,
            "TAXII serves that object as it came, and importing it again gives the value its source's context back.")
        : null,
      outcome,
      h("div", { class: "form-actions" }, save, cancel));
    commentInput.id = `${id}-comment`;
    // Its own row and cell: the stacked table on a phone keeps explicit roles.
    const editRow = h("tr", { class: "edit-row", role: "row" }, h("td", { colspan: columns, role: "cell" }, form));
    row.after(editRow);
    row.classList.add("editing");
    button.setAttribute("aria-expanded", "true");
    button.setAttribute("aria-controls", id);
    roleInput.focus();

    const close = (refocus: boolean) => {
      editRow.remove();
      row.classList.remove("editing");
      button.setAttribute("aria-expanded", "false");
      button.removeAttribute("aria-controls");
      if (editing?.row === row) editing = null;
      if (refocus && button.isConnected) button.focus();
    };
    cancel.addEventListener("click", () => close(true));
    form.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") {
        ev.preventDefault();
        close(true);
      }
    });
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      // Text a number field cannot read ("8e", "-") leaves its value empty:
      // that is not "not stated".
      const confidenceText = confidenceInput.value.trim();
      const confidence = confidenceText === "" ? null : Number(confidenceText);
      if (confidenceInput.validity.badInput ||
          (confidence !== null && !(Number.isInteger(confidence) && confidence >= 0 && confidence <= 100))) {
        replace(outcome, h("p", { class: "field-error", role: "alert" }, "Confidence: a whole number from 0 to 100, or empty."));
        confidenceInput.focus();
        return;
      }
      const valid_until = validInput.value === validDay ? i.valid_until
        : validInput.value ? `${validInput.value}T00:00:00.000Z` : null;
      const role = roleInput.value.trim();
      const comment = commentInput.value.trim();
      const family = familyInput.value.trim();
      save.disabled = true;
      cancel.disabled = true;
      replace(outcome);
      const askedUnder = filterGeneration;
      // Disabled, Save loses the focus: it comes back with the answer.
      const refused = (message: Node, focus: HTMLElement = save) => {
        save.disabled = false;
        cancel.disabled = false;
        replace(outcome, message);
        focus.focus();
      };
      const send = () => api<EventWriteResult>(`/events/${encodeURIComponent(uuid)}`, {
        method: "PATCH", params: { indicators: "none" },
        body: {
          indicators: [{
            type: i.type, value: i.value, role: role || null, confidence, valid_until,
            comment: comment || null, is_indicator: liveInput.checked, family,
          }],
        },
        signal,
      }).then(
        (res) => {
          if (signal.aborted) return;
          const rejection = res.rejections[0];
          if (rejection) {
            refused(h("p", { class: "field-error", role: "alert" }, `Not saved: ${rejection.reason}`));
            return;
          }
          close(false);
          say(h("p", { class: "notice" }, `Saved the context of ${i.value}.`));
          reloadAfterWrite(askedUnder, page);
        },
        (err: unknown) => {
          if (signal.aborted) return;
          refused(errorBox(err, "The context was not saved."));
        },
      );
      // Someone may have changed the value since the form was filled: it
      // is read again first, so theirs is not replaced unseen. (Not
      // If-Match: the event's tag changes with every value an import adds,
      // so a busy feed's values could never be edited. The read and the
      // write are two requests; a change between them still goes unseen.)
      currentContext(i).then(
        (now) => {
          if (signal.aborted) return;
          if (now === "gone") {
            refused(h("p", { class: "field-error", role: "alert" }, `${i.value} is no longer in this event: nothing was saved.`));
            return;
          }
          if (now && !sameContext(now, loaded)) {
            const anyway = h("button", { type: "button" }, "Save mine anyway");
            // Submitted again: the fields are read (and checked) as they
            // are now, and theirs, now seen, no longer stops the save.
            anyway.addEventListener("click", () => {
              loaded = now;
              form.requestSubmit();
            });
            refused(h("div", { class: "field-error", role: "alert" },
              h("p", null, `Someone changed this value's context while you edited it. It is now: ${describeContext(now)}. Nothing was saved.`),
              anyway), anyway);
            return;
          }
          send();
        },
        (err: unknown) => {
          if (signal.aborted) return;
          refused(errorBox(err, "The context was not saved."));
        },
      );
    });
    return { row, close };
  };

  // "Remove…", then a question in the cell: removing a value is not undone
  // by a click (its context, first seen and the rest, goes with it).
  const removeControl = (i: Indicator, page: number): HTMLElement => {
    const cell = h("div", { class: "remove-control" });
    const ask = () => {
      const start = h("button", { type: "button", class: "small", "aria-label": `Remove ${i.value}…` }, "Remove…");
      start.addEventListener("click", () => confirmRemoval());
      replace(cell, start);
      return start;
    };
    const confirmRemoval = () => {
      const yes = h("button", { type: "button", class: "small danger", "aria-label": `Remove ${i.value} from this event` }, "Remove");
      const no = h("button", { type: "button", class: "small", "aria-label": `Keep ${i.value}` }, "Keep");
      no.addEventListener("click", () => ask().focus());
      yes.addEventListener("click", () => {
        yes.disabled = true;
        no.disabled = true;
        const askedUnder = filterGeneration;
        api<EventWriteResult>(`/events/${encodeURIComponent(uuid)}`, {
          method: "PATCH", params: { indicators: "none" },
          body: { remove_indicators: [{ type: i.type, value: i.value }] }, signal,
        }).then(
          (res) => {
            if (signal.aborted) return;
            count = Math.max(0, count - res.removed);
            replace(heading, `Indicators: ${formatCount(count)}`);
            say(h("p", { class: "notice" },
              res.removed > 0 ? `Removed ${i.value} from this event.` : `${i.value} was no longer in this event.`));
            // The type menu's counts and the rows, asked for again.
            types = null;
            reloadAfterWrite(askedUnder, page, res.removed);
          },
          (err: unknown) => {
            if (signal.aborted) return;
            // Said above the table: the row may be on no page shown any more.
            removal.hidden = false;
            replace(removal, errorBox(err, `${i.value} was not removed.`));
            if (cell.isConnected) {
              ask().focus();
            } else {
              removal.focus();
            }
          },
        );
      });
      replace(cell, h("span", { class: "confirm-question" }, "Remove from the event?"), yes, no);
      no.focus();
    };
    ask();
    return cell;
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
    const wanted = { value: valueInput.value.trim(), type: typeSelect.value };
    if (wanted.value === filter.value && wanted.type === filter.type) return;
    filter.value = wanted.value;
    filter.type = wanted.type;
    ++filterGeneration;
    // A new filter starts on its first page.
    cursors = [null];
    load(0);
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

  append(panel, [notices, form, status, removal, results]);
  load(0);
  return panel;
}

function sameContext(a: Indicator, b: Indicator): boolean {
  return a.role === b.role && a.confidence === b.confidence && a.valid_until === b.valid_until &&
    a.comment === b.comment && a.is_indicator === b.is_indicator && (a.family ?? null) === (b.family ?? null);
}

function describeContext(i: Indicator): string {
  return [
    `role ${i.role ?? "none"}`,
    `confidence ${i.confidence ?? "not stated"}`,
    i.valid_until ? `expires ${i.valid_until.slice(0, 10)}` : "no expiry",
    i.is_indicator ? "matched" : "observed only",
    i.comment ? `comment "${i.comment}"` : "no comment",
    i.family ? `family ${i.family}` : "no family",
  ].join(", ");
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
