// Create and edit an event (placeholder until the screen lands).
import { h, replace } from "../dom";
import type { Route } from "../router";

/** uuid null: a new event. */
export function eventEditView(main: HTMLElement, uuid: string | null, _route: Route, _signal: AbortSignal): void {
  replace(main, h("h1", { tabindex: -1 }, uuid ? "Edit event" : "New event"), h("p", null, "Not built yet."));
}
