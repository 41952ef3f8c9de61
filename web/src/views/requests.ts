// 24/7 requests (placeholder until the screens land).
import { h, replace } from "../dom";
import type { Route } from "../router";

export function requestsView(main: HTMLElement, _route: Route, _signal: AbortSignal): void {
  replace(main, h("h1", { tabindex: -1 }, "24/7 requests"), h("p", null, "Not built yet."));
}

export function newRequestView(main: HTMLElement, _route: Route, _signal: AbortSignal): void {
  replace(main, h("h1", { tabindex: -1 }, "New 24/7 request"), h("p", null, "Not built yet."));
}

export function requestView(main: HTMLElement, handle: string, _route: Route, _signal: AbortSignal): void {
  replace(main, h("h1", { tabindex: -1 }, `Request ${handle}`), h("p", null, "Not built yet."));
}
