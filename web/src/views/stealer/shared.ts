// What the operation screens share: paths, labels, who may do what, and the
// operation's summary and C2 list kept for a short while.

import { api } from "../../api";
import { getApiKey, identity } from "../../session";
import type { StealerC2List, StealerOperationSummary } from "../../types-stealer";
import { alpha2FromInput, countryLabel } from "../../viz/countries";

export const UNKNOWN_COUNTRY = "XX";

/** The API path of an operation (names may hold spaces and other characters). */
export function operationApi(name: string, sub = ""): string {
  return `/stealer/operations/${encodeURIComponent(name)}${sub}`;
}

/** The screen's address of an operation. */
export function operationPath(name: string): string {
  return `/stealer/${encodeURIComponent(name)}`;
}

/** "France (FR)"; the API's "XX" (or nothing) is a country no log or GeoIP gave. */
export function placeLabel(code: string | null | undefined): string {
  if (!code || code.toUpperCase() === UNKNOWN_COUNTRY) return `Unknown country (${UNKNOWN_COUNTRY})`;
  return countryLabel(code);
}

/** "12.5 %" of a whole; "—" when there is no whole. */
export function share(part: number, whole: number): string {
  if (whole <= 0) return "—";
  return `${((part / whole) * 100).toLocaleString("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;
}

/** The country code in the screen's URL, upper case; null when absent. The
 *  address may name the country as the screen shows it ("Germany"), as the
 *  alerts filter takes it. */
export function countryParam(params: URLSearchParams): string | null {
  const raw = params.get("country")?.trim();
  return raw ? alpha2FromInput(raw) ?? raw.toUpperCase() : null;
}

// The server's rules (rest_stealer.cc), mirrored so the screen offers only
// what it would allow. The server still decides: a refusal is shown in words.

/** Packages: any key of the coordinating organisation (no other organisation's, admins included). */
export function mayDownloadPackages(summary: StealerOperationSummary): boolean {
  const who = identity();
  if (!who) return false;
  return who.organisation_id !== 0 && who.organisation_id === summary.organisation.id;
}

/** Purge: the coordinating organisation's admins and analysts. */
export function mayPurge(summary: StealerOperationSummary): boolean {
  const who = identity();
  if (!who) return false;
  return (who.role === "admin" || who.role === "analyst") && who.organisation_id === summary.organisation.id;
}

// Choosing a country (or going Back) is a new address, so the router draws
// the screen again. The summary and C2 list the screen just had are handed
// over to that next drawing, which spares the server and keeps the page
// from collapsing to "Loading…" between clicks. Coming from any other
// screen, they are read afresh.

interface Loaded {
  apiKey: string | null;
  name: string;
  summary: Promise<StealerOperationSummary>;
  c2: Promise<StealerC2List>;
  /** failed, or changed since (a purge): not to be handed over */
  stale: boolean;
}

let onScreen: Loaded | null = null;
let handedOver: Loaded | null = null;

export interface OperationData {
  summary: Promise<StealerOperationSummary>;
  c2: Promise<StealerC2List>;
}

/** The operation's summary and C2 list for a screen that lives until `signal` aborts. */
export function operationData(name: string, signal: AbortSignal): OperationData {
  const apiKey = getApiKey();
  // Keyed by the session's key too: another person signing in in this tab
  // must never see what the previous one could read.
  const previous = handedOver;
  handedOver = null;
  let entry: Loaded;
  if (previous && previous.name === name && previous.apiKey === apiKey && !previous.stale) {
    entry = previous;
  } else {
    // Not tied to one screen's signal: the next drawing may take them over.
    entry = {
      apiKey, name, stale: false,
      summary: api<StealerOperationSummary>(operationApi(name)),
      c2: api<StealerC2List>(operationApi(name, "/c2")),
    };
    // A failure is never handed over (the next drawing asks again); the
    // screens that wait on these promises handle it.
    const failed = () => {
      entry.stale = true;
    };
    entry.summary.catch(failed);
    entry.c2.catch(failed);
  }
  onScreen = entry;
  signal.addEventListener("abort", () => {
    if (onScreen === entry) onScreen = null;
    if (entry.stale) return;
    // The router aborts a screen and draws the next in one go: only that
    // drawing may take these over, so the offer ends with the current task.
    handedOver = entry;
    queueMicrotask(() => {
      if (handedOver === entry) handedOver = null;
    });
  }, { once: true });
  return entry;
}

/** After a purge or anything else that changes the operation. */
export function forgetOperationData(): void {
  if (onScreen) onScreen.stale = true;
}
