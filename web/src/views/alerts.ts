// Early-warning alerts (placeholder until the screen lands).
import { h, replace } from "../dom";
import type { Route } from "../router";

export function alertsView(main: HTMLElement, _route: Route, _signal: AbortSignal): void {
  replace(main, h("h1", { tabindex: -1 }, "Alerts"), h("p", null, "Not built yet."));
}
