// The buttons that move a request on: exactly the actions the server lists
// for this viewer (allowed_actions), each sent with the version that was
// read so a change made meanwhile is refused (409) instead of applied
// blindly. Refusals are shown in the server's words.

import { api } from "../../api";
import { errorBox } from "../../components";
import { formatTime, h, replace, time } from "../../dom";
import type { ClockPolicy, RequestAction, RequestActionInput, RequestView } from "../../types-requests";
import { ACTION_DONE, ACTION_LABELS, apiPath } from "./common";

interface ActionNeeds {
  /** the label of the reason box; null: no reason asked */
  reason: string | null;
  reasonRequired: boolean;
  /** asks until when the data is preserved */
  until: boolean;
  /** a consequential step that is confirmed first */
  confirm: boolean;
}

/**
 * What each action asks for. Refusal needs grounds, and withdrawal and
 * closing a reason (ReasonRequired in src/requests/requests.h); executing or extending a
 * preservation sets until when the data is kept.
 */
function needsOf(action: RequestAction, view: RequestView): ActionNeeds {
  const preservation = view.type === "preservation";
  switch (action) {
    case "refuse":
      return { reason: "Grounds for refusal", reasonRequired: true, until: false, confirm: true };
    case "withdraw":
      return { reason: "Reason for withdrawing", reasonRequired: true, until: false, confirm: true };
    case "close":
      return { reason: "Reason for closing", reasonRequired: true, until: false, confirm: true };
    case "extend":
      return { reason: "Reason (optional)", reasonRequired: false, until: true, confirm: true };
    case "execute":
      return preservation
        ? { reason: "Note (optional)", reasonRequired: false, until: true, confirm: true }
        : { reason: null, reasonRequired: false, until: false, confirm: false };
    default:
      return { reason: null, reasonRequired: false, until: false, confirm: false };
  }
}

/** Milliseconds of a duration as the server reads one (ParseDuration in src/requests/clocks.cc): 90m, 2h, 3d, 2w, PT2H, P3D; else null. */
export function durationMs(text: string): number | null {
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 7 * 86400 };
  const short = /^(\d+)([smhdw])$/.exec(text);
  if (short) return Number(short[1]) * unit[short[2]!]! * 1000;
  const iso = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(text);
  if (!iso || iso.slice(1).every((n) => n === undefined)) return null;
  const [w, d, hh, mm, ss] = iso.slice(1).map((n) => Number(n ?? 0)) as [number, number, number, number, number];
  return ((w * 7 + d) * 86400 + hh * 3600 + mm * 60 + ss) * 1000;
}

/**
 * Until when the data would be kept with `typed` (ParseWhen in
 * src/requests/request_ops.cc): a date runs through that day (UTC), a time
 * is itself, a duration counts from `base`; empty: one period from `base`.
 */
function untilOf(typed: string, base: number, period: string | null): number | null {
  const text = typed.trim();
  if (text === "") return period === null ? null : addDuration(base, period);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const day = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(day) ? null : day + 86400000 - 1;
  }
  if (/^\d{4}-\d{2}-\d{2}[Tt ]/.test(text)) {
    const at = Date.parse(text);
    return Number.isNaN(at) ? null : at;
  }
  return addDuration(base, text);
}

function addDuration(base: number, duration: string): number | null {
  const ms = durationMs(duration);
  return ms === null ? null : base + ms;
}

/**
 * "Preserve until" with what it means: executing counts a duration from
 * now; extending adds it to the current end, as the server does (a duration
 * from now could end a moment after the current end and extend nothing).
 * Below it, the end the typed value gives.
 */
function untilField(until: HTMLInputElement, action: RequestAction, view: RequestView, clocks: ClockPolicy | null): HTMLElement {
  const extending = action === "extend" && view.preserved_until !== null;
  const currentEnd = extending ? Date.parse(view.preserved_until!) : NaN;
  const period = clocks?.preservation_period ?? null;
  const hint = extending
    ? h("p", { class: "hint", id: "rq-action-until-hint" },
        "The preservation now runs until ", time(view.preserved_until), ". ",
        "A date (2027-03-01) or an RFC 3339 time is the new end; a duration such as 90d is added to the current end. Empty: ",
        "one more preservation period", period ? ` (${period})` : "", " after the current end.")
    : h("p", { class: "hint", id: "rq-action-until-hint" },
        "A date (2027-03-01), an RFC 3339 time or a duration from now such as 90d. Empty: ",
        "the node's preservation period", period ? ` (${period})` : "",
        "; Budapest Art. 29(7) asks for at least 60 days.");
  const result = h("p", { class: "hint rq-until-result", id: "rq-action-until-result", "aria-live": "polite" });
  until.setAttribute("aria-describedby", "rq-action-until-hint rq-action-until-result");
  const show = () => {
    // The base as the server takes it: the later of now and the current end.
    const base = extending && !Number.isNaN(currentEnd) ? Math.max(Date.now(), currentEnd) : Date.now();
    const end = untilOf(until.value, base, period);
    if (end === null) {
      replace(result, until.value.trim() === "" ? "" : "Not a date, an RFC 3339 time or a duration (90m, 2h, 3d, 2w, P3D) the server reads.");
      return;
    }
    const text = formatTime(new Date(end).toISOString());
    replace(result, "New end: ", h("strong", null, text),
      extending && !Number.isNaN(currentEnd) && end <= currentEnd ? " — not after the current end: the server will refuse it." : ".");
  };
  until.addEventListener("input", show);
  show();
  return h("div", { class: "rq-field" },
    h("label", { for: "rq-action-until" }, "Preserve until"),
    until, hint, result);
}

export interface ActionsContext {
  signal: AbortSignal;
  clocks: ClockPolicy | null;
  /** the draft form offers Send itself */
  sendInForm: boolean;
  /** the request after an action, with a sentence saying what happened */
  done(view: RequestView, what: string): void;
  reload(): void;
}

export function actionsPanel(view: RequestView, ctx: ActionsContext): HTMLElement | null {
  const actions = view.allowed_actions.filter((a) => !(a === "send" && ctx.sendInForm));
  if (actions.length === 0) return null;

  const outcome = h("div", { class: "rq-outcome" });
  const confirmArea = h("div", { class: "rq-confirm-area" });
  const buttons = new Map<RequestAction, HTMLButtonElement>();
  let busy = false;

  const setBusy = (on: boolean) => {
    busy = on;
    for (const [action, b] of buttons) b.disabled = on || sendBlocked(action);
  };
  // The server lists send for any draft, but refuses one missing a field.
  const sendBlocked = (action: RequestAction) => action === "send" && view.missing_fields.length > 0;

  async function act(input: RequestActionInput): Promise<void> {
    if (busy) return;
    setBusy(true);
    replace(outcome, h("p", { class: "loading", role: "status" }, `${ACTION_LABELS[input.action]}…`));
    try {
      const after = await api<RequestView>(`${apiPath(view.id)}/actions`,
        { method: "POST", body: { ...input, version: view.version }, signal: ctx.signal });
      // "Acknowledged" says the state already; "Work started" does not.
      const done = ACTION_DONE[input.action];
      const state = after.state.replace(/-/g, " ");
      ctx.done(after, done.toLowerCase().includes(state) ? `${done}.` : `${done}. The request is now ${state}.`);
    } catch (e) {
      if (ctx.signal.aborted) return;
      setBusy(false);
      replace(outcome, errorBox(e, `${ACTION_LABELS[input.action]} was refused.`),
        h("button", { type: "button", onclick: () => ctx.reload() }, "Reload the request"));
    }
  }

  function openConfirm(action: RequestAction, opener: HTMLButtonElement): void {
    const needs = needsOf(action, view);
    const reason = needs.reason === null ? null : h("textarea", {
      id: "rq-action-reason", name: "reason", rows: 3, maxlength: 65536, required: needs.reasonRequired,
    });
    const until = needs.until ? h("input", {
      id: "rq-action-until", name: "preserved_until", type: "text", autocomplete: "off", "aria-describedby": "rq-action-until-hint",
    }) : null;
    const close = () => {
      replace(confirmArea);
      opener.focus();
    };
    const heading = h("h3", { id: "rq-confirm-heading", tabindex: -1 }, `${ACTION_LABELS[action]}: ${view.reference}`);
    const form = h("form", { class: "rq-confirm", "aria-labelledby": "rq-confirm-heading", novalidate: true },
      heading,
      reason ? h("div", { class: "rq-field" },
        h("label", { for: "rq-action-reason" }, needs.reason, needs.reasonRequired ? h("span", { class: "rq-required" }, " (required)") : null),
        reason) : null,
      until ? untilField(until, action, view, ctx.clocks) : null,
      h("div", { class: "rq-form-buttons" },
        h("button", { type: "submit", class: action === "refuse" || action === "withdraw" ? "rq-danger" : "primary" }, ACTION_LABELS[action]),
        h("button", { type: "button", onclick: close }, "Cancel")));
    form.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") close();
    });
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (reason && needs.reasonRequired && reason.value.trim() === "") {
        replace(outcome, h("p", { class: "error", role: "alert" }, `${needs.reason} is required to ${ACTION_LABELS[action].toLowerCase()}.`));
        reason.focus();
        return;
      }
      const input: RequestActionInput = { action };
      if (reason && reason.value.trim()) input.reason = reason.value;
      if (until && until.value.trim()) input.preserved_until = until.value.trim();
      void act(input);
    });
    replace(confirmArea, form);
    replace(outcome);
    (reason ?? until ?? heading).focus();
  }

  const row = h("div", { class: "rq-action-buttons" }, actions.map((action) => {
    const b = h("button", {
      type: "button",
      class: action === "refuse" || action === "withdraw" ? "rq-danger" : "primary",
      "data-action": action,
      "aria-describedby": sendBlocked(action) ? "rq-send-blocked" : null,
    }, ACTION_LABELS[action]);
    b.disabled = sendBlocked(action);
    b.addEventListener("click", () => {
      if (needsOf(action, view).confirm) openConfirm(action, b);
      else void act({ action });
    });
    buttons.set(action, b);
    return b;
  }));

  return h("section", { class: "panel rq-actions", "aria-labelledby": "rq-actions-heading" },
    h("h2", { id: "rq-actions-heading" }, "What you can do now"),
    row,
    actions.some(sendBlocked)
      ? h("p", { class: "hint", id: "rq-send-blocked" },
          `Send is disabled: ${view.missing_fields.length} required field${view.missing_fields.length === 1 ? " is" : "s are"} missing.`)
      : null,
    confirmArea,
    outcome);
}
