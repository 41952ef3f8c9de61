// /requests/new: a new 24/7 request from the signed-in organisation. Only
// organisations with a point of contact can receive one (GET /pocs).

import { api, describeError } from "../../api";
import { errorBox, notice } from "../../components";
import { h, replace } from "../../dom";
import { navigate, type Route } from "../../router";
import type { ClockPolicy, PointOfContactList } from "../../types-requests";
import { flashOf, mayActFor, myOrganisationId, requestClocks, requestPath, requestTypes } from "./common";
import { requestForm } from "./form";

export function newRequestScreen(main: HTMLElement, route: Route, signal: AbortSignal): void {
  const body = h("div", null, h("p", { class: "loading", role: "status" }, "Loading the request types and points of contact…"));
  replace(main,
    h("p", { class: "crumbs" }, h("a", { href: "/requests" }, "← 24/7 requests")),
    h("h1", { tabindex: -1 }, "New 24/7 request"),
    body);

  const me = myOrganisationId();
  if (me === null || !mayActFor(me)) {
    replace(body, notice("Only an organisation's admins, analysts and points of contact open 24/7 requests; this key's role cannot.", "warning"));
    return;
  }
  const flash = flashOf(route.state);

  Promise.all([
    requestTypes(),
    api<PointOfContactList>("/pocs", { signal }),
    // The clocks only add hints: the form works without them.
    requestClocks(signal).catch((): ClockPolicy | null => null),
  ]).then(
    ([types, pocs, clocks]) => {
      if (signal.aborted) return;
      const recipients = pocs.points_of_contact
        .filter((p) => p.organisation.id !== me)
        .sort((a, b) => a.country.localeCompare(b.country) || a.organisation.name.localeCompare(b.organisation.name));
      if (recipients.length === 0) {
        replace(body, notice("No other organisation on this node has a 24/7 point of contact, so there is no one to send a request to yet.", "warning"));
        return;
      }
      replace(body,
        flash ? h("div", { class: flash.kind === "error" ? "error" : "notice", role: "alert" }, flash.text) : null,
        requestForm({
          types: types.types,
          clocks,
          recipients,
          draft: null,
          initialType: route.params.get("type"),
          signal,
          done: (view, outcome, sendError) => {
            const text = sendError
              ? `Saved as draft ${view.reference}, but not sent. ${describeError(sendError)}`
              : outcome === "sent"
                ? `Sent to ${view.to.name}.`
                : `Draft ${view.reference} saved.`;
            navigate(requestPath(view), { state: { flash: { kind: sendError ? "error" : "info", text } } });
          },
        }));
    },
    (e: unknown) => {
      if (!signal.aborted) replace(body, errorBox(e));
    },
  );
}
