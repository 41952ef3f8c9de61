// The form of a 24/7 request: a new one, or a draft being completed. The
// legal fields come from the type's specification (GET /requests-types);
// a live list names every required field still missing with the article
// that asks for it, and Send stays disabled until that list is empty. A
// draft can be saved at any point.

import { api } from "../../api";
import { errorBox } from "../../components";
import { h, replace } from "../../dom";
import {
  URGENCIES,
  type ClockPolicy,
  type PointOfContact,
  type RequestEdit,
  type RequestFieldSpec,
  type RequestInput,
  type RequestTypeSpec,
  type RequestView,
  type Urgency,
} from "../../types-requests";
import { apiPath } from "./common";

/**
 * Fields the server accepts only as an affirmation ("yes" or "true"):
 * Art. 29(2)(f) asks for the stated intent to follow with a mutual-assistance
 * request, so anything else counts as missing (AffirmsIntent in
 * src/requests/requests.h). Shown as a checkbox that writes "yes".
 */
const AFFIRMATION_FIELDS = new Set(["mla_intent"]);

/**
 * Types whose urgency the server fixes to their default: an emergency
 * disclosure is always an emergency (CreateRequest refuses anything else).
 * The types list does not say this, so it is mirrored here.
 */
const FIXED_URGENCY_TYPES = new Set(["emergency-disclosure"]);

function affirms(value: string): boolean {
  const v = value.replace(/\s+/g, "").toLowerCase();
  return v === "yes" || v === "true";
}

/** The server's "2h", "1d", "90m" as "2 h", "1 day", "90 min"; anything else as it is. */
function readableDuration(text: string): string {
  const m = /^(\d+)([mhdw])$/.exec(text);
  if (!m) return text;
  const n = Number(m[1]);
  const unit = { m: "min", h: "h", d: n === 1 ? "day" : "days", w: n === 1 ? "week" : "weeks" }[m[2] as "m" | "h" | "d" | "w"];
  return `${n} ${unit}`;
}

function blank(value: string | undefined): boolean {
  return !value || value.trim() === "";
}

interface MissingItem {
  label: string;
  basis: string;
  controlId: string;
}

/** The form's values, kept by the caller so a re-render does not lose them. */
export interface DraftEdits {
  requestId: string;
  fields: Map<string, string>;
  subject: string;
  urgency: string;
}

export function newDraftEdits(draft: RequestView): DraftEdits {
  return { requestId: draft.id, fields: new Map(Object.entries(draft.fields)), subject: draft.subject, urgency: draft.urgency };
}

export interface RequestFormOptions {
  types: RequestTypeSpec[];
  clocks: ClockPolicy | null;
  /** who may receive a new request (organisations with a point of contact, not the sender's) */
  recipients: PointOfContact[];
  /** the draft being completed; null for a new request */
  draft: RequestView | null;
  /** a type to start with (new request) */
  initialType: string | null;
  /** a draft's unsaved values (see DraftEdits); default the draft's own */
  edits?: DraftEdits;
  signal: AbortSignal;
  /**
   * After a save or a send: the request as the server now has it. When
   * sending failed after the draft was stored, `sendError` says why.
   */
  done(view: RequestView, outcome: "saved" | "sent", sendError?: unknown): void;
}

export function requestForm(opts: RequestFormOptions): HTMLElement {
  const { draft, types, signal } = opts;
  const edits = opts.edits ?? (draft ? newDraftEdits(draft) : null);
  const values = edits?.fields ?? new Map<string, string>();
  let typeSpec: RequestTypeSpec | null =
    types.find((t) => t.type === (draft?.type ?? opts.initialType)) ?? null;

  // --- the request's frame: type, recipient, urgency, subject ---
  const typeSelect = h("select", { id: "rq-type", name: "type", required: true, disabled: draft !== null },
    h("option", { value: "" }, "Choose a type…"),
    types.map((t) => h("option", { value: t.type, selected: t.type === typeSpec?.type }, t.description)));
  const typeHint = h("p", { class: "hint", id: "rq-type-hint" });

  const recipientSelect = h("select", { id: "rq-to", name: "to", required: true, disabled: draft !== null, "aria-describedby": "rq-to-hint" },
    draft
      ? h("option", { value: String(draft.to.id), selected: true }, `${draft.to.name}${draft.to.country ? ` (${draft.to.country})` : ""}`)
      : [
          h("option", { value: "" }, "Choose an organisation…"),
          opts.recipients.map((p) => h("option", { value: String(p.organisation.id), selected: opts.recipients.length === 1 },
            `${p.organisation.name} (${p.country})`)),
        ]);
  const recipientHint = h("div", { class: "hint rq-poc", id: "rq-to-hint" });

  const urgencySelect = h("select", { id: "rq-urgency", name: "urgency", "aria-describedby": "rq-urgency-hint" },
    URGENCIES.map((u) => h("option", { value: u, selected: u === (edits?.urgency ?? typeSpec?.default_urgency ?? "normal") }, u)));
  const urgencyHint = h("p", { class: "hint", id: "rq-urgency-hint" });

  const subjectInput = h("input", {
    id: "rq-subject", name: "subject", type: "text", maxlength: 512, autocomplete: "off",
    value: edits?.subject ?? "", "aria-describedby": "rq-subject-hint",
  });
  if (edits) {
    subjectInput.addEventListener("input", () => { edits.subject = subjectInput.value; });
  }

  const legal = h("div", { class: "rq-legal-fields" });
  const legalHeading = h("h2", { id: "rq-legal-heading" }, "Legal fields");

  // --- what is missing, and the two ways out ---
  const missingSummary = h("p", { class: "rq-missing-summary", role: "status", "aria-live": "polite" });
  const missingList = h("ul", { class: "rq-missing-list", "aria-labelledby": "rq-missing-heading" });
  const saveButton = h("button", { type: "submit", class: "rq-save" }, "Save draft");
  const sendReason = h("p", { id: "rq-send-reason", class: "hint" });
  const sendButton = h("button", { type: "button", class: "primary rq-send", "aria-describedby": "rq-send-reason",
    onclick: () => void save(true) }, "Send");
  const outcome = h("div", { class: "rq-outcome" });
  let busy = false;

  const form = h("form", { class: "rq-form", "aria-label": draft ? `Draft ${draft.reference}` : "New 24/7 request", novalidate: true },
    h("section", { class: "panel", "aria-labelledby": "rq-frame-heading" },
      h("h2", { id: "rq-frame-heading" }, "Request"),
      h("div", { class: "rq-frame" },
        h("div", { class: "field field-grow rq-frame-type" }, h("label", { for: "rq-type" }, "Request type"), typeSelect, typeHint),
        h("div", { class: "field field-grow" }, h("label", { for: "rq-to" }, "Requested organisation"), recipientSelect, recipientHint),
        h("div", { class: "field" }, h("label", { for: "rq-urgency" }, "Urgency"), urgencySelect, urgencyHint),
        h("div", { class: "field field-grow" }, h("label", { for: "rq-subject" }, "Subject"), subjectInput,
          h("p", { class: "hint", id: "rq-subject-hint" }, "Optional; the type's description when left empty.")))),
    h("div", { class: "rq-form-grid" },
      h("section", { class: "panel rq-legal", "aria-labelledby": "rq-legal-heading" }, legalHeading, legal),
      h("aside", { class: "panel rq-missing", "aria-labelledby": "rq-missing-heading" },
        h("h2", { id: "rq-missing-heading" }, "Missing before it can be sent"),
        missingSummary,
        missingList,
        h("div", { class: "rq-form-buttons" }, saveButton, sendButton),
        sendReason,
        outcome)),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void save(false);
  });

  typeSelect.addEventListener("change", () => {
    typeSpec = types.find((t) => t.type === typeSelect.value) ?? null;
    if (typeSpec) urgencySelect.value = typeSpec.default_urgency;
    drawType();
    update();
  });
  recipientSelect.addEventListener("change", () => { drawRecipient(); update(); });
  urgencySelect.addEventListener("change", () => {
    if (edits) edits.urgency = urgencySelect.value;
    drawUrgency();
  });

  function drawType(): void {
    typeHint.textContent = typeSpec
      ? `${typeSpec.fields.filter((f) => f.required).length} required legal fields.`
      : "The type decides which legal fields the request must carry.";
    subjectInput.placeholder = typeSpec?.description ?? "";
    const fixed = typeSpec !== null && FIXED_URGENCY_TYPES.has(typeSpec.type);
    for (const option of Array.from(urgencySelect.options)) {
      option.disabled = fixed && option.value !== typeSpec?.default_urgency;
    }
    drawUrgency();
    if (!typeSpec) {
      replace(legal, h("p", { class: "muted" }, "Choose a request type to see the fields the law asks for."));
      legalHeading.textContent = "Legal fields";
      return;
    }
    legalHeading.textContent = `Legal fields: ${typeSpec.description}`;
    replace(legal, typeSpec.fields.map(fieldControl));
  }

  function drawUrgency(): void {
    const u = urgencySelect.value as Urgency;
    const fixed = typeSpec !== null && FIXED_URGENCY_TYPES.has(typeSpec.type);
    const ackWindow = opts.clocks?.ack[u];
    urgencyHint.textContent = [
      ackWindow ? `Acknowledgement due within ${readableDuration(ackWindow)} of sending.` : "",
      fixed ? `A ${typeSpec?.type.replace(/-/g, " ")} is always ${typeSpec?.default_urgency}.` : "",
    ].filter(Boolean).join(" ");
  }

  function drawRecipient(): void {
    const poc = opts.recipients.find((p) => String(p.organisation.id) === recipientSelect.value);
    if (!poc) {
      replace(recipientHint, draft ? `Its point of contact works in ${draft.to.time_zone ?? "UTC"}.` : "Only organisations with a 24/7 point of contact can receive requests.");
      return;
    }
    replace(recipientHint,
      h("span", null, `${poc.name}: ${poc.hours}, ${poc.time_zone}`, poc.languages.length ? `, languages ${poc.languages.join(", ")}` : ""),
      poc.channels.length ? h("span", null, ` · ${poc.channels.map((c) => `${c.kind} ${c.value}`).join("; ")}`) : null);
  }

  function fieldControl(spec: RequestFieldSpec): HTMLElement {
    const id = `rq-field-${spec.name}`;
    const hintId = `${id}-basis`;
    const basis = h("span", { class: "rq-basis", id: hintId },
      spec.basis || "Asked by practice, not by a legal text", spec.required ? "" : " · optional");
    if (AFFIRMATION_FIELDS.has(spec.name)) {
      const box = h("input", { id, name: spec.name, type: "checkbox", checked: affirms(values.get(spec.name) ?? ""), "aria-describedby": hintId });
      box.addEventListener("change", () => {
        values.set(spec.name, box.checked ? "yes" : "");
        update();
      });
      return h("div", { class: "rq-field rq-field-check", "data-field": spec.name },
        box, h("label", { for: id }, spec.label, spec.required ? h("span", { class: "rq-required" }, " (required)") : null), basis);
    }
    const area = h("textarea", { id, name: spec.name, rows: spec.name === "facts" ? 5 : 2, maxlength: 65536, "aria-describedby": hintId });
    area.value = values.get(spec.name) ?? "";
    area.addEventListener("input", () => {
      values.set(spec.name, area.value);
      update();
    });
    return h("div", { class: "rq-field", "data-field": spec.name },
      h("label", { for: id }, spec.label, spec.required ? h("span", { class: "rq-required" }, " (required)") : null),
      area, basis);
  }

  function missing(): MissingItem[] {
    const out: MissingItem[] = [];
    if (!typeSpec) out.push({ label: "Request type", basis: "", controlId: "rq-type" });
    if (!recipientSelect.value) out.push({ label: "Requested organisation", basis: "", controlId: "rq-to" });
    for (const f of typeSpec?.fields ?? []) {
      if (!f.required) continue;
      const v = values.get(f.name) ?? "";
      if (blank(v) || (AFFIRMATION_FIELDS.has(f.name) && !affirms(v))) {
        out.push({ label: f.label, basis: f.basis, controlId: `rq-field-${f.name}` });
      }
    }
    return out;
  }

  function update(): void {
    const items = missing();
    const summaryText = items.length === 0
      ? "Nothing is missing: the request can be sent."
      : `${items.length} required item${items.length === 1 ? "" : "s"} missing.`;
    // Rewriting the same words would make screen readers repeat them on every keystroke.
    if (missingSummary.textContent !== summaryText) missingSummary.textContent = summaryText;
    missingSummary.classList.toggle("rq-complete", items.length === 0);
    replace(missingList, items.map((m) =>
      h("li", null,
        h("a", { href: `#${m.controlId}`, onclick: (ev: MouseEvent) => { ev.preventDefault(); document.getElementById(m.controlId)?.focus(); } }, m.label),
        m.basis ? h("span", { class: "rq-basis" }, ` — ${m.basis}`) : null)));
    sendButton.disabled = busy || items.length > 0;
    saveButton.disabled = busy;
    sendReason.textContent = items.length > 0
      ? `Send is disabled until nothing is missing (${items.length} item${items.length === 1 ? "" : "s"} above).`
      : busy ? "" : `Sending starts the acknowledgement clock of ${draft?.to.name ?? "the requested organisation"}.`;
  }

  /** The type's fields as the server should store them. */
  function fieldsToStore(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of typeSpec?.fields ?? []) {
      const v = values.get(f.name) ?? "";
      if (!blank(v)) out[f.name] = v;
    }
    return out;
  }

  function draftChanges(d: RequestView): RequestEdit | null {
    const edit: RequestEdit = { version: d.version };
    const fields: Record<string, string | null> = {};
    for (const f of typeSpec?.fields ?? []) {
      const now = values.get(f.name) ?? "";
      const before = d.fields[f.name] ?? "";
      if (now !== before) fields[f.name] = blank(now) ? null : now;
    }
    if (Object.keys(fields).length) edit.fields = fields;
    if (subjectInput.value.trim() !== "" && subjectInput.value !== d.subject) edit.subject = subjectInput.value;
    if (urgencySelect.value !== d.urgency) edit.urgency = urgencySelect.value as Urgency;
    return Object.keys(edit).length > 1 ? edit : null;
  }

  async function save(send: boolean): Promise<void> {
    if (busy) return;
    if (!typeSpec || !recipientSelect.value) {
      replace(outcome, h("p", { class: "error", role: "alert" },
        "A draft needs a type and a requested organisation before it can be saved."));
      (typeSpec ? recipientSelect : typeSelect).focus();
      return;
    }
    busy = true;
    update();
    replace(outcome, h("p", { class: "loading", role: "status" }, send ? "Sending…" : "Saving…"));
    let stored: RequestView | null = draft;
    try {
      if (!draft) {
        const body: RequestInput = {
          type: typeSpec.type,
          urgency: urgencySelect.value as Urgency,
          to: Number(recipientSelect.value),
          fields: fieldsToStore(),
        };
        if (subjectInput.value.trim()) body.subject = subjectInput.value;
        stored = await api<RequestView>("/requests", { method: "POST", body, signal });
      } else {
        const changes = draftChanges(draft);
        if (changes) stored = await api<RequestView>(apiPath(draft.id), { method: "PATCH", body: changes, signal });
        else if (!send) {
          busy = false;
          update();
          replace(outcome, h("p", { class: "muted", role: "status" }, "Nothing changed since the draft was saved."));
          return;
        }
      }
    } catch (e) {
      if (signal.aborted) return;
      busy = false;
      update();
      replace(outcome, errorBox(e, send ? "Not sent." : "Not saved."));
      return;
    }
    if (!send || !stored) {
      opts.done(stored!, "saved");
      return;
    }
    try {
      const sent = await api<RequestView>(`${apiPath(stored.id)}/actions`,
        { method: "POST", body: { action: "send", version: stored.version }, signal });
      opts.done(sent, "sent");
    } catch (e) {
      if (signal.aborted) return;
      // The draft is stored; its own page shows why it was not sent.
      opts.done(stored, "saved", e);
    }
  }

  drawType();
  drawRecipient();
  update();
  return form;
}
