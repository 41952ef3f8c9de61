// Infostealer operations (placeholder until the screens land).
import { h, replace } from "../dom";
import type { Route } from "../router";

export function stealerOperationsView(main: HTMLElement, _route: Route, _signal: AbortSignal): void {
  replace(main, h("h1", { tabindex: -1 }, "Infostealer operations"), h("p", null, "Not built yet."));
}

export function stealerOperationView(main: HTMLElement, name: string, _route: Route, _signal: AbortSignal): void {
  replace(main, h("h1", { tabindex: -1 }, `Operation ${name}`), h("p", null, "Not built yet."));
}
