// Words, labels and rules the 24/7 screens share.

import { api } from "../../api";
import { h } from "../../dom";
import { identity } from "../../session";
import type { ClockPolicy, RequestAction, RequestRecord, RequestState, RequestTypeList } from "../../types-requests";

export const REQUEST_STATES: readonly RequestState[] = [
  "draft", "sent", "acknowledged", "in-progress", "executed", "extended", "closed", "refused", "withdrawn",
];

/** What a person reads on an action's button. */
export const ACTION_LABELS: Record<RequestAction, string> = {
  send: "Send",
  ack: "Acknowledge",
  start: "Start work",
  execute: "Mark executed",
  extend: "Extend preservation",
  close: "Close",
  refuse: "Refuse",
  withdraw: "Withdraw",
};

/** What is said once an action went through. */
export const ACTION_DONE: Record<RequestAction, string> = {
  send: "Sent",
  ack: "Acknowledged",
  start: "Work started",
  execute: "Marked executed",
  extend: "Preservation extended",
  close: "Closed",
  refuse: "Refused",
  withdraw: "Withdrawn",
};

/** The request's path in the UI: its reference reads better than its uuid. */
export function requestPath(r: Pick<RequestRecord, "reference">): string {
  return `/requests/${encodeURIComponent(r.reference)}`;
}

export function apiPath(handle: string): string {
  return `/requests/${encodeURIComponent(handle)}`;
}

/** "traffic-disclosure" → "traffic disclosure". */
export function typeName(type: string): string {
  return type.replace(/-/g, " ");
}

export function stateBadge(state: RequestState): HTMLElement {
  return h("span", { class: `rq-state rq-state-${state}`, "data-state": state }, state);
}

export function urgencyBadge(urgency: string): HTMLElement {
  return h("span", { class: `rq-urgency rq-urgency-${urgency}` }, urgency);
}

/**
 * Whether the signed-in key may open requests and act on one between these
 * organisations: a party's admin, analyst or poc (MayActOnRequest in
 * src/core/policy.h). Used to leave out forms the server would refuse.
 */
export function mayActFor(...partyOrgIds: number[]): boolean {
  const who = identity();
  if (!who) return false;
  const speaksForOrg = who.role === "admin" || who.role === "analyst" || who.role === "poc";
  return speaksForOrg && partyOrgIds.includes(who.organisation_id);
}

export function myOrganisationId(): number | null {
  return identity()?.organisation_id ?? null;
}

/** A byte count as "1.2 MiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** One-off status message a screen passes to the next one in history.state. */
export interface Flash {
  kind: "info" | "error";
  text: string;
}

export function flashOf(state: unknown): Flash | null {
  const f = (state as { flash?: Partial<Flash> } | null)?.flash;
  if (!f || typeof f.text !== "string" || (f.kind !== "info" && f.kind !== "error")) return null;
  return { kind: f.kind, text: f.text };
}

// The types and their legal fields change only with the server's version:
// one fetch per page load is enough. Not tied to a screen's signal (a screen
// left early must not leave a rejected promise behind), and a failure is
// forgotten so the next screen asks again. The clocks are an admin's
// setting and are read afresh by each screen.
let typesOnce: Promise<RequestTypeList> | null = null;

export function requestTypes(): Promise<RequestTypeList> {
  typesOnce ??= api<RequestTypeList>("/requests-types").catch((e: unknown) => {
    typesOnce = null;
    throw e;
  });
  return typesOnce;
}

export function requestClocks(signal: AbortSignal): Promise<ClockPolicy> {
  return api<ClockPolicy>("/requests-clocks", { signal });
}
