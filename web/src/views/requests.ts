// 24/7 requests: the inbox (/requests), the form for a new one
// (/requests/new) and one request (/requests/{handle}). The screens live in
// views/requests/; this module is what main.ts routes to.
import "./requests.css";
import type { Route } from "../router";
import { inboxView } from "./requests/inbox";
import { newRequestScreen } from "./requests/new";
import { requestScreen } from "./requests/detail";

export function requestsView(main: HTMLElement, route: Route, signal: AbortSignal): void {
  inboxView(main, route, signal);
}

export function newRequestView(main: HTMLElement, route: Route, signal: AbortSignal): void {
  newRequestScreen(main, route, signal);
}

export function requestView(main: HTMLElement, handle: string, route: Route, signal: AbortSignal): void {
  requestScreen(main, handle, route, signal);
}
