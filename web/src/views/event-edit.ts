// Create and edit an event: title, description, TLP, tags and the
// organisations named for TLP:AMBER and TLP:RED. Create is POST /events;
// edit is PATCH /events/{uuid}, which leaves the indicators as they are.
// Every read and write here asks for the event without its indicators
// (indicators=none): a feed event's are hundreds of MB, and the ETag is
// the same either way.
// Delete asks first.
//
// An edit is sent with If-Match and the ETag the form was loaded with: a
// change made meanwhile (by a colleague of the same organisation) is
// refused by the server (412) and shown instead of silently overwritten.
// "Save mine anyway" is checked against the version it showed, so a third
// change in between is caught again.

import "./events.css";
import { ApiError, api, apiTagged } from "../api";
import { errorBox, notice } from "../components";
import { formatCount, h, replace, time } from "../dom";
import { href, navigate, type Route } from "../router";
import { identity } from "../session";
import { tlpClass, tlpLabel, tlpText } from "../tlp";
import { TLP_LEVELS, type Event, type Tlp } from "../types";
import type { EventInput, EventWriteResult } from "../types-events";
import { mayDeleteEvent, mayEditEvent, mayWriteEvents, organisationChoices, showEventLoadError, type OrganisationChoice } from "./events";

/** Who reads an event at each level (core/policy.h). */
const TLP_AUDIENCE: Record<Tlp, string> = {
  clear: "everyone with access to this node.",
  green: "every member organisation of this node.",
  amber: "your organisation and the organisations named below.",
  "amber+strict": "your organisation only.",
  red: "your organisation and the organisations named below, nobody else.",
};

/** The event's fields without its indicators, which a form never shows. */
const WITHOUT_INDICATORS = { indicators: "none" };

/** The levels at which named recipients decide who reads. */
const NAMED_LEVELS: ReadonlySet<Tlp> = new Set<Tlp>(["amber", "red"]);

/** uuid null: a new event. */
export function eventEditView(main: HTMLElement, uuid: string | null, _route: Route, signal: AbortSignal): void {
  if (uuid === null) {
    const heading = h("h1", { tabindex: -1 }, "New event");
    const crumbs = h("p", { class: "crumbs" }, h("a", { href: "/events" }, "← Events"));
    if (!mayWriteEvents()) {
      replace(main, crumbs, heading, roleRefusal());
      return;
    }
    const body = h("div");
    replace(main, crumbs, heading, body);
    eventForm(body, null, signal);
    return;
  }

  const path = `/events/${encodeURIComponent(uuid)}`;
  const heading = h("h1", { tabindex: -1 }, "Edit event");
  const body = h("div", null, h("p", { class: "loading", role: "status" }, "Loading the event…"));
  replace(main, h("p", { class: "crumbs" }, h("a", { href: path }, "← Event")), heading, body);
  if (!mayWriteEvents()) {
    replace(body, roleRefusal());
    return;
  }
  apiTagged<Event>(path, { params: WITHOUT_INDICATORS, signal }).then(
    ({ value: e, etag }) => {
      document.title = `Edit ${e.title} — Accord`;
      replace(heading, "Edit event: ", tlpLabel(e.tlp), " ", e.title);
      if (!mayEditEvent(e)) {
        replace(body, h("p", { role: "status" },
          `Only its owner organisation, ${e.owner.name ?? `organisation #${e.owner.id}`}, may change this event. `,
          h("a", { href: path }, "Back to the event"), "."));
        return;
      }
      eventForm(body, e, signal, etag);
    },
    (err: unknown) => {
      if (!signal.aborted) showEventLoadError(heading, body, err);
    },
  );
}

function roleRefusal(): HTMLElement {
  return h("p", { role: "status" },
    `Your role (${identity()?.role ?? "unknown"}) may not create or change events: that takes an admin, analyst or contributor key.`);
}

/** A labelled control with its hint and a place for its error message. */
interface Field {
  el: HTMLElement;
  control: HTMLElement;
  setError(message: string | null): void;
}

/** `body` is what goes under the label when it is more than the control (the tag chips). */
function makeField(id: string, label: string, control: HTMLElement, hint?: string | Node, extraClass = "", body?: HTMLElement): Field {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const error = h("p", { id: errorId, class: "field-error", hidden: true });
  control.setAttribute("aria-describedby", hint ? `${hintId} ${errorId}` : errorId);
  const el = h("div", { class: `form-field ${extraClass}`.trim() },
    h("label", { for: id }, label),
    hint ? h("p", { id: hintId, class: "hint" }, hint) : null,
    body ?? control,
    error);
  return {
    el,
    control,
    setError(message) {
      error.hidden = message === null;
      replace(error, message ?? "");
      if (message === null) control.removeAttribute("aria-invalid");
      else control.setAttribute("aria-invalid", "true");
      el.classList.toggle("form-field-invalid", message !== null);
    },
  };
}

/** A TLP select whose own look is the label of the chosen level. */
export function tlpSelect(id: string, value: Tlp): HTMLSelectElement {
  const select = h("select", { id, name: "tlp" },
    TLP_LEVELS.map((t) => h("option", { value: t, selected: t === value, class: tlpClass(t) }, tlpText(t))));
  const paint = () => { select.className = `tlp-select ${tlpClass(select.value as Tlp)}`; };
  select.addEventListener("change", paint);
  paint();
  return select;
}

/** Tags as chips: typed in a box (Enter or a comma adds), each removable by its own button. */
function tagEditor(initial: string[]): { el: HTMLElement; input: HTMLInputElement; tags: () => string[]; commit: () => void } {
  const tags = [...initial];
  const input = h("input", { id: "ev-tags", name: "tags", type: "text", autocomplete: "off", spellcheck: "false" });
  const chips = h("ul", { class: "tags chips", "aria-label": "Tags of this event" });
  const count = h("span", { class: "visually-hidden", "aria-live": "polite" });
  const draw = (focusAfterRemoval?: number) => {
    replace(chips, tags.map((t, i) =>
      h("li", { class: "tag chip" },
        h("span", null, t),
        h("button", {
          type: "button",
          class: "chip-remove",
          "aria-label": `Remove tag ${t}`,
          onclick: () => {
            tags.splice(i, 1);
            replace(count, `Tag ${t} removed.`);
            draw(i);
          },
        }, "×"))));
    chips.hidden = tags.length === 0;
    if (focusAfterRemoval !== undefined) {
      const buttons = chips.querySelectorAll<HTMLButtonElement>(".chip-remove");
      (buttons[Math.min(focusAfterRemoval, buttons.length - 1)] ?? input).focus();
    }
  };
  // Adds every complete tag in the box; `keepTail` leaves the text after the
  // last comma in the box (still being typed).
  const take = (keepTail: boolean) => {
    const parts = input.value.split(",");
    const tail = keepTail ? parts.pop() ?? "" : "";
    const added: string[] = [];
    for (const raw of parts) {
      const t = raw.trim();
      if (t && !tags.includes(t)) {
        tags.push(t);
        added.push(t);
      }
    }
    input.value = tail.trimStart();
    if (added.length) {
      replace(count, `Tag${added.length > 1 ? "s" : ""} ${added.join(", ")} added.`);
      draw();
    }
  };
  input.addEventListener("keydown", (ev: KeyboardEvent) => {
    if (ev.key === "Enter") {
      ev.preventDefault(); // Enter adds the tag; it does not send the form
      take(false);
    }
  });
  input.addEventListener("input", () => { if (input.value.includes(",")) take(true); });
  const add = h("button", { type: "button", onclick: () => { take(false); input.focus(); } }, "Add tag");
  draw();
  return {
    el: h("div", { class: "tag-editor" }, chips, h("div", { class: "tag-entry" }, input, add), count),
    input,
    tags: () => [...tags],
    commit: () => take(false),
  };
}

/**
 * Every organisation on the node but the caller's own as a checkbox, with
 * its country: the node's directory, which every member's key reads.
 */
function recipientPicker(existing: Event | null, signal: AbortSignal) {
  const ownId = identity()?.organisation_id;
  const chosen = new Set<number>((existing?.recipients ?? []).filter((r) => r.name !== null).map((r) => r.id));
  const boxes: { org: OrganisationChoice; box: HTMLInputElement }[] = [];
  const list = h("div", { class: "recipient-list" }, h("p", { class: "loading", role: "status" }, "Loading organisations…"));
  const gone = (existing?.recipients ?? []).filter((r) => r.name === null);

  const draw = (orgs: OrganisationChoice[]) => {
    // A current recipient missing from the choices (the list failed to load) is still shown, checked.
    const all = new Map(orgs.map((o) => [o.id, o]));
    for (const r of existing?.recipients ?? []) {
      if (r.name !== null && !all.has(r.id)) all.set(r.id, { id: r.id, name: r.name, country: "" });
    }
    const choices = [...all.values()].filter((o) => o.id !== ownId).sort((a, b) => a.name.localeCompare(b.name));
    boxes.length = 0;
    replace(list, choices.length === 0
      ? h("p", { class: "muted" }, "No other organisation to choose from.")
      : h("ul", { class: "checklist" }, choices.map((org) => {
          const id = `ev-rcpt-${org.id}`;
          const box = h("input", { type: "checkbox", id, name: "recipients", value: String(org.id), checked: chosen.has(org.id) });
          box.addEventListener("change", () => { if (box.checked) chosen.add(org.id); else chosen.delete(org.id); });
          boxes.push({ org, box });
          return h("li", null, box, h("label", { for: id }, org.country ? `${org.name} (${org.country})` : org.name));
        })));
  };
  organisationChoices(signal).then(draw, (e: unknown) => {
    if (signal.aborted) return;
    draw([]);
    list.prepend(errorBox(e, "The list of organisations could not be loaded."));
  });

  const error = h("p", { id: "ev-recipients-error", class: "field-error", hidden: true });
  const hint = h("p", { id: "ev-recipients-hint", class: "hint" });
  const el = h("fieldset", { class: "form-field recipients", id: "ev-recipients", "aria-describedby": "ev-recipients-hint ev-recipients-error" },
    h("legend", null, "Recipients"),
    hint,
    gone.length
      ? notice(`${gone.map((r) => `Organisation #${r.id}`).join(", ")} ${gone.length === 1 ? "is" : "are"} no longer on this node and will be dropped when you save.`, "warning")
      : null,
    list,
    error);
  return {
    el,
    setLevel(tlp: Tlp) {
      el.hidden = !NAMED_LEVELS.has(tlp);
      replace(hint, tlp === "red"
        ? "TLP:RED: only the organisations ticked here read the event, besides yours. None ticked: your organisation alone."
        : "TLP:AMBER: the organisations ticked here read the event, besides yours.");
    },
    values(): number[] {
      return boxes.filter((b) => b.box.checked).map((b) => b.org.id);
    },
    setError(message: string | null) {
      error.hidden = message === null;
      replace(error, message ?? "");
      el.classList.toggle("form-field-invalid", message !== null);
    },
    focus() {
      (boxes.find((b) => b.box.checked)?.box ?? boxes[0]?.box ?? el).focus();
    },
  };
}

/** Which form field a server message is about: "recipients[1]: no organisation ..." is the recipients'. */
function fieldOfMessage(message: string): string | null {
  const m = /^([a-z_]+)(?:\[\d+\])?[:.]/.exec(message);
  return m ? m[1]! : null;
}

function eventForm(box: HTMLElement, existing: Event | null, signal: AbortSignal, loadedTag: string | null = null): void {
  // The version this form's edit applies to (see the top of the file).
  let tag = loadedTag;
  const editing = existing !== null;
  const title = makeField("ev-title", "Title",
    h("input", { id: "ev-title", name: "title", type: "text", value: existing?.title ?? "", required: true, autocomplete: "off" }));
  const description = makeField("ev-description", "Description",
    h("textarea", { id: "ev-description", name: "description", rows: 5 }, existing?.description ?? ""),
    "What happened, how the indicators were found, what to do with them.", "form-field-wide");
  const tlp = tlpSelect("ev-tlp", existing?.tlp ?? "amber");
  const audience = h("span");
  const tlpField = makeField("ev-tlp", "TLP", tlp, audience);
  const tags = tagEditor(existing?.tags ?? []);
  const tagsField = makeField("ev-tags", "Tags", tags.input, "Type a tag and press Enter, or several separated by commas.", "", tags.el);
  const recipients = recipientPicker(existing, signal);

  const showLevel = () => {
    const level = tlp.value as Tlp;
    replace(audience, tlpText(level), " is read by ", TLP_AUDIENCE[level]);
    recipients.setLevel(level);
  };
  tlp.addEventListener("change", showLevel);
  showLevel();

  const summary = h("div", { class: "form-summary", tabindex: -1 });
  const save = h("button", { type: "submit", class: "primary" }, editing ? "Save changes" : "Create event");
  const saveThenImport = editing
    ? null
    : h("button", { type: "submit", value: "import", name: "then" }, "Create and add indicators");
  const cancel = h("a", { class: "button-link", href: existing ? `/events/${encodeURIComponent(existing.uuid)}` : "/events" }, "Cancel");

  const form = h("form", { class: "event-form panel", novalidate: true, "aria-label": editing ? "Edit event" : "New event" },
    summary,
    title.el,
    description.el,
    h("div", { class: "form-row" }, tlpField.el, tagsField.el),
    recipients.el,
    h("div", { class: "form-actions" }, save, saveThenImport, cancel));

  const fields: Record<string, { setError(m: string | null): void; focus(): void }> = {
    title: { setError: title.setError, focus: () => title.control.focus() },
    description: { setError: description.setError, focus: () => description.control.focus() },
    tlp: { setError: tlpField.setError, focus: () => tlp.focus() },
    tags: { setError: tagsField.setError, focus: () => tags.input.focus() },
    recipients: { setError: recipients.setError, focus: () => recipients.focus() },
  };
  const clearErrors = () => {
    for (const f of Object.values(fields)) f.setError(null);
    replace(summary);
  };

  const busy = (on: boolean) => {
    save.disabled = on;
    if (saveThenImport) saveThenImport.disabled = on;
    form.setAttribute("aria-busy", String(on));
  };

  const send = async (thenImport: boolean, overwrite: boolean) => {
    clearErrors();
    tags.commit();
    const titleText = (title.control as HTMLInputElement).value.trim();
    if (!titleText) {
      title.setError("Enter a title: every event needs one.");
      replace(summary, h("div", { class: "error", role: "alert" }, "The event was not saved: the title is missing."));
      title.control.focus();
      return;
    }
    const level = tlp.value as Tlp;
    const body: EventInput = {
      title: titleText,
      description: (description.control as HTMLTextAreaElement).value,
      tlp: level,
      tags: tags.tags(),
      // Below AMBER and at AMBER+STRICT named recipients change nothing;
      // clearing them keeps a later switch to AMBER from sharing with
      // organisations nobody sees any more on this form.
      recipients: NAMED_LEVELS.has(level) ? recipients.values() : [],
    };
    busy(true);
    try {
      let result: EventWriteResult;
      if (existing) {
        const path = `/events/${encodeURIComponent(existing.uuid)}`;
        if (tag === null && !overwrite) {
          // No ETag to send: compare with a fresh read instead (a narrower check).
          const now = await api<Event>(path, { params: WITHOUT_INDICATORS, signal });
          if (now.modified !== existing.modified) {
            showConflict(now, thenImport);
            return;
          }
        }
        try {
          result = await api<EventWriteResult>(path, { method: "PATCH", params: WITHOUT_INDICATORS, body, signal, ifMatch: tag ?? undefined });
        } catch (e) {
          if (!(e instanceof ApiError) || e.status !== 412) throw e;
          const now = await apiTagged<Event>(path, { params: WITHOUT_INDICATORS, signal });
          tag = now.etag;
          showConflict(now.value, thenImport);
          return;
        }
      } else {
        result = await api<EventWriteResult>("/events", { method: "POST", params: WITHOUT_INDICATORS, body, signal });
      }
      const uuid = result.event.uuid;
      navigate(thenImport ? href("/import", { event: uuid }) : `/events/${encodeURIComponent(uuid)}`);
    } catch (e) {
      if (signal.aborted) return;
      const field = e instanceof ApiError && e.status === 400 ? fields[fieldOfMessage(e.message) ?? ""] : undefined;
      replace(summary, errorBox(e, existing ? "The changes were not saved." : "The event was not created."));
      if (field && e instanceof ApiError) {
        field.setError(e.message);
        field.focus();
      } else {
        summary.focus();
      }
    } finally {
      busy(false);
    }
  };

  const showConflict = (now: Event, thenImport: boolean) => {
    replace(summary, h("div", { class: "notice notice-warning", role: "alert" },
      h("p", null, "This event was changed at ", time(now.modified), " after you opened it (title now “", now.title, "”). ",
        "Saving replaces its title, description, TLP, tags and recipients with what is on this form."),
      h("div", { class: "form-actions" },
        h("button", { type: "button", class: "primary", onclick: () => void send(thenImport, true) }, "Save mine anyway"),
        h("a", { class: "button-link", href: `/events/${encodeURIComponent(now.uuid)}/edit` }, "Discard mine and start again"))));
    summary.focus();
  };

  form.addEventListener("submit", (ev: SubmitEvent) => {
    ev.preventDefault();
    const submitter = ev.submitter as HTMLButtonElement | null;
    void send(submitter?.value === "import", false);
  });

  replace(box, form, existing && mayDeleteEvent(existing) ? deleteSection(existing, signal) : null,
    existing && !mayDeleteEvent(existing)
      ? h("p", { class: "muted" }, "Only analysts and admins of the owner organisation may delete an event.")
      : null);
}

async function deleteEvent(uuid: string, signal: AbortSignal): Promise<void> {
  await api<unknown>(`/events/${encodeURIComponent(uuid)}`, { method: "DELETE", signal });
}

/** Delete, after a confirmation that says what goes. */
function deleteSection(e: Event, signal: AbortSignal): HTMLElement {
  const area = h("div");
  const section = h("section", { class: "panel danger-zone", "aria-labelledby": "delete-heading" },
    h("h2", { id: "delete-heading" }, "Delete this event"),
    h("p", null,
      `Deleting removes the event, its ${formatCount(e.indicator_count)} indicator link${e.indicator_count === 1 ? "" : "s"} and its STIX objects for every organisation that reads it. `,
      "Values other events carry stay on the node."),
    area);
  const start = (): void => {
    const ask = h("button", { type: "button", class: "danger", onclick: () => confirm() }, "Delete event…");
    replace(area, ask);
  };
  const confirm = (): void => {
    const question = h("p", { id: "delete-question", class: "confirm-question" },
      `Delete “${e.title}” for good? This cannot be undone.`);
    const yes = h("button", { type: "button", class: "danger" }, "Delete for good");
    const no = h("button", { type: "button" }, "Keep the event");
    const outcome = h("div");
    no.addEventListener("click", () => {
      start();
      area.querySelector("button")?.focus();
    });
    yes.addEventListener("click", () => {
      yes.disabled = true;
      no.disabled = true;
      deleteEvent(e.uuid, signal).then(
        () => navigate("/events", { state: { prev: [], deleted: e.title } }),
        (err: unknown) => {
          if (signal.aborted) return;
          yes.disabled = false;
          no.disabled = false;
          replace(outcome, errorBox(err, "The event was not deleted."));
          no.focus();
        },
      );
    });
    replace(area, h("div", { class: "confirm", role: "group", "aria-labelledby": "delete-question" },
      question, h("div", { class: "form-actions" }, yes, no), outcome));
    no.focus();
  };
  start();
  return section;
}
