// Infostealer operations: the list the caller may read, and one operation
// with its victims per country, families, infection time line, affected
// services, C2 servers by hosting network, victims, packages and purge.
// The panels are in views/stealer/.

import "./stealer.css";
import { ApiError, api } from "../api";
import { errorBox, pagedTable } from "../components";
import { formatCount, h, replace, time } from "../dom";
import type { Route } from "../router";
import { tlpLabel } from "../tlp";
import type { StealerOperationList, StealerOperationListItem, StealerOperationSummary } from "../types-stealer";
import { justPurged, packagesPanel, purgePanel } from "./stealer/actions";
import { c2Panel } from "./stealer/c2";
import { familiesPanel, servicesPanel, summaryCards, timelinePanel } from "./stealer/overview";
import { countryParam, operationData, operationPath, plural } from "./stealer/shared";
import { countriesPanel, victimsPanel, wantsVictimsFocus } from "./stealer/victims";

const OPERATIONS_PER_PAGE = 25;

function orgLabel(ref: { id: number; name: string | null }): string {
  return ref.name ?? `organisation #${ref.id}`;
}

export function stealerOperationsView(main: HTMLElement, _route: Route, signal: AbortSignal): void {
  const list = h("div", null, h("p", { class: "loading", role: "status" }, "Loading operations…"));
  replace(main,
    h("h1", { tabindex: -1 }, "Infostealer operations"),
    h("p", { class: "lead" },
      "Each operation gathers the stealer logs and C2 lists partners hand in: the C2 servers to take down, ",
      "and the victims and services to warn in every country."),
    list);

  api<StealerOperationList>("/stealer/operations", { signal }).then(
    (res) => {
      if (res.operations.length === 0) {
        replace(list, h("section", { class: "panel empty-operations", "aria-labelledby": "no-operations" },
          h("h2", { id: "no-operations" }, "No operation you may read"),
          h("p", null, "An operation is made on the node from the logs and C2 lists partners hand in:"),
          h("pre", null, h("code", null, "accord stealer ingest --operation NAME PATH...")),
          h("p", null,
            "PATH is a folder or archive of stealer logs, or a partner's C2 list (.csv with a header, or a STIX bundle). ",
            "An operation is shared as the TLP of its C2 event allows (TLP:AMBER by default: the coordinating ",
            "organisation and those it names), so a partner sees it only once the coordinator shares it.")));
        return;
      }
      const sorted = [...res.operations].sort((a, b) => b.created.localeCompare(a.created));
      replace(list, pagedTable("Infostealer operations",
        ["TLP", "Operation", "Coordinator", "Victims", "Credentials", "C2 servers", "Personal data kept", "Created"],
        sorted, operationRow, OPERATIONS_PER_PAGE));
    },
    (e: unknown) => {
      if (signal.aborted) return;
      if (e instanceof ApiError && e.status === 404) {
        replace(list, h("p", { role: "status" }, "Infostealer operations are not available on this server."),
          h("p", { class: "muted" }, `Server: ${e.message}`));
      } else {
        replace(list, errorBox(e, "The operations could not be read."));
      }
    },
  );
}

function operationRow(op: StealerOperationListItem): HTMLTableRowElement {
  return h("tr", { "data-operation": op.name },
    h("td", null, tlpLabel(op.tlp)),
    h("td", null, h("a", { href: operationPath(op.name) }, op.name)),
    h("td", null, orgLabel(op.organisation)),
    h("td", { class: "num" }, formatCount(op.victims)),
    h("td", { class: "num" }, formatCount(op.credentials)),
    h("td", { class: "num" }, formatCount(op.c2_servers)),
    h("td", null, plural(op.retention_days, "day")),
    h("td", null, time(op.created)));
}

export function stealerOperationView(main: HTMLElement, name: string, route: Route, signal: AbortSignal): void {
  const heading = h("h1", { tabindex: -1 }, `Operation ${name}`);
  const body = h("div", null, h("p", { class: "loading", role: "status" }, "Loading the operation…"));
  replace(main,
    h("p", { class: "crumbs" }, h("a", { href: "/stealer" }, "← Infostealer operations")),
    heading, body);

  const data = operationData(name, signal);
  const country = countryParam(route.params);
  data.summary.then(
    (summary) => {
      if (signal.aborted) return;
      replace(heading, tlpLabel(summary.tlp), `Operation ${summary.operation}`);
      const purge = purgePanel(name, summary, route.state, signal);
      replace(body,
        about(summary),
        summaryCards(summary),
        countriesPanel(name, summary, country),
        // Side by side on wall screens: the victims, and what else to watch (stealer.css).
        h("div", { class: "stealer-columns" },
          victimsPanel(name, summary, country, signal, wantsVictimsFocus(route.state)),
          h("div", { class: "stealer-side" },
            c2Panel(summary, data.c2, signal),
            familiesPanel(summary, signal),
            timelinePanel(summary, signal))),
        servicesPanel(summary, signal),
        packagesPanel(name, summary, signal),
        purge);
      if (purge && justPurged(route.state)) purge.querySelector<HTMLElement>("[data-purged]")?.focus();
    },
    (e: unknown) => {
      if (signal.aborted) return;
      if (e instanceof ApiError && e.status === 404) {
        replace(heading, "Operation not found");
        document.title = "Operation not found — Accord";
        replace(body,
          h("p", { role: "status" }, `There is no operation named “${name}”, or you may not read it.`),
          h("p", { class: "muted" }, `Server: ${e.message}`));
      } else {
        replace(body, errorBox(e, "The operation could not be read."));
      }
    },
  );
}

function about(s: StealerOperationSummary): HTMLElement {
  return h("div", { class: "stealer-about" },
    h("p", { class: "op-meta" },
      "Coordinated by ", h("strong", null, orgLabel(s.organisation)),
      " · created ", time(s.created),
      " · marked ", tlpLabel(s.tlp),
      ` · personal data kept ${plural(s.retention_days, "day")} after ingest`),
    h("nav", { class: "jump", "aria-label": "On this page" },
      h("ul", null,
        [["#countries-heading", "Countries"], ["#victims", "Victims"], ["#c2-heading", "C2 servers"],
          ["#services-heading", "Services"], ["#packages-heading", "Packages"]]
          .map(([target, label]) => h("li", null, jumpLink(target!, label!))))));
}

/**
 * A link within the page. It moves focus itself: following a bare #fragment
 * would fire popstate, and the router would draw the screen again.
 */
function jumpLink(target: string, label: string): HTMLAnchorElement {
  return h("a", {
    href: target,
    onclick: (ev: MouseEvent) => {
      const el = document.getElementById(target.slice(1));
      if (!el) return;
      ev.preventDefault();
      if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
      el.focus();
    },
  }, label);
}
