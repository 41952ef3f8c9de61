// What the coordinator does with an operation: download the packages for
// partners (zip archives from GET .../packages) and purge personal data
// past retention (POST .../purge).

import { ApiError, api, apiDownload } from "../../api";
import { errorBox, notice } from "../../components";
import { formatCount, h, replace } from "../../dom";
import { navigate } from "../../router";
import { tlpLabel } from "../../tlp";
import type {
  StealerOperationSummary,
  StealerPackageFormat,
  StealerPackageKind,
  StealerPurgeResult,
} from "../../types-stealer";
import { forgetOperationData, mayDownloadPackages, mayPurge, operationApi, plural } from "./shared";

interface PackageChoice {
  kind: StealerPackageKind;
  title: string;
  button: string;
  holds: string;
  /** the formats the server writes for this kind (packages.cc) */
  formats: StealerPackageFormat[];
}

const PACKAGES: PackageChoice[] = [
  {
    kind: "takedown", title: "Takedown", button: "Download takedown package",
    holds: "One file per hosting network (country and ASN) listing its C2 servers with the evidence, for hosting providers and CERTs.",
    formats: ["json", "csv", "stix"],
  },
  {
    kind: "victims", title: "Victim notification", button: "Download victims package",
    holds: "One file per victim country: each infected machine with its affected services. No passwords.",
    formats: ["json", "csv"],
  },
  {
    kind: "services", title: "Service notification", button: "Download services package",
    holds: "One file per affected domain: the usernames of its stolen accounts, to reset. No passwords.",
    formats: ["json", "csv"],
  },
  {
    kind: "summary", title: "Summary", button: "Download summary",
    holds: "The counts on this page: summary.json always, summary.csv with CSV.",
    formats: ["json", "csv"],
  },
  {
    kind: "all", title: "Everything", button: "Download all packages",
    holds: "The four above in one archive.",
    formats: ["json", "csv", "stix"],
  },
];

const FORMATS: { value: StealerPackageFormat; label: string }[] = [
  { value: "all", label: "All formats" },
  { value: "json", label: "JSON" },
  { value: "csv", label: "CSV" },
  { value: "stix", label: "STIX 2.1" },
];

function formatLabel(format: StealerPackageFormat): string {
  return FORMATS.find((f) => f.value === format)?.label ?? format;
}

export function packagesPanel(name: string, summary: StealerOperationSummary, signal: AbortSignal): HTMLElement {
  const heading = h("h2", { id: "packages-heading" }, "Packages");
  if (!mayDownloadPackages(summary)) {
    return h("section", { class: "panel", "aria-labelledby": "packages-heading" }, heading,
      notice(`The packages hold victims' addresses and account usernames: only the coordinating organisation (${summary.organisation.name ?? `#${summary.organisation.id}`}) may download them.`));
  }

  let format: StealerPackageFormat = "all";
  const status = h("div", { class: "download-status", "aria-live": "polite" });
  const rows: { choice: PackageChoice; button: HTMLButtonElement; note: HTMLElement }[] = [];
  let busy = false;
  const refresh = () => {
    for (const r of rows) {
      const offered = format === "all" || r.choice.formats.includes(format);
      r.button.disabled = busy || !offered;
      replace(r.note, offered ? "" : `No ${formatLabel(format)} form.`);
    }
  };

  const download = (choice: PackageChoice) => {
    busy = true;
    refresh();
    const what = `${choice.title.toLowerCase()} package (${formatLabel(format).toLowerCase()})`;
    replace(status, h("p", { class: "loading", role: "status" }, `Preparing the ${what}…`));
    apiDownload(operationApi(name, "/packages"), `${name}-${choice.kind}.zip`,
      { params: { kind: choice.kind, format }, signal }).then(
      (file) => {
        replace(status, h("p", { role: "status", "data-downloaded": file }, `Downloaded ${file}: the ${what}.`));
      },
      (e: unknown) => {
        if (!signal.aborted) replace(status, errorBox(e, `The ${what} could not be downloaded.`));
      },
    ).finally(() => {
      busy = false;
      refresh();
    });
  };

  const formatField = h("fieldset", { class: "package-formats" },
    h("legend", null, "Format"),
    FORMATS.map((f) => h("label", { class: "radio" },
      h("input", {
        type: "radio", name: "package-format", value: f.value, checked: f.value === format,
        onchange: () => {
          format = f.value;
          refresh();
        },
      }),
      f.label)));

  const table = h("div", { class: "table-wrap", role: "region", tabindex: 0, "aria-label": "Packages to download" },
    h("table", { class: "packages" },
      h("caption", { class: "visually-hidden" }, "Packages to download"),
      h("thead", null, h("tr", null, ["Package", "What it holds", "Formats", ""].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, PACKAGES.map((choice) => {
        const button = h("button", { type: "button", "data-package": choice.kind, onclick: () => download(choice) }, choice.button);
        const note = h("span", { class: "hint" });
        rows.push({ choice, button, note });
        return h("tr", null,
          h("th", { scope: "row" }, choice.title),
          h("td", null, choice.holds),
          h("td", null, choice.formats.map(formatLabel).join(", ")),
          h("td", { class: "package-action" }, button, note));
      }))));
  refresh();

  return h("section", { class: "panel", "aria-labelledby": "packages-heading" }, heading,
    h("p", null,
      "Zip archives made now from the operation's data, for the partners who act on them. They carry personal data ",
      "(victims' addresses, account usernames; never a password) and the operation's marking ", tlpLabel(summary.tlp),
      ": share them only as it allows. Each download is recorded in the audit log."),
    formatField, table, status);
}

/** history.state after a purge that changed the figures: the screen is drawn again and says what happened. */
interface PurgedState {
  purged: number;
  at: number;
}

const PURGE_NOTE_MS = 5 * 60_000;

function purgedState(state: unknown): PurgedState | null {
  const s = state as Partial<PurgedState> | null;
  if (typeof s?.purged !== "number" || typeof s.at !== "number") return null;
  return Date.now() - s.at < PURGE_NOTE_MS ? { purged: s.purged, at: s.at } : null;
}

function purgeResult(purged: number): HTMLElement {
  return h("p", { class: "notice", role: "status", tabindex: -1, "data-purged": String(purged) },
    purged === 0
      ? "Nothing was past retention: no victim's personal data was purged."
      : `Purged the personal data of ${plural(purged, "victim")}.`);
}

export function purgePanel(name: string, summary: StealerOperationSummary, routeState: unknown, signal: AbortSignal): HTMLElement | null {
  if (!mayPurge(summary)) return null;
  const cutoff = new Date(Date.now() - summary.retention_days * 86_400_000).toISOString().slice(0, 10);
  const result = h("div", { class: "purge-result" });
  const start = h("button", { type: "button", "aria-expanded": "false", "aria-controls": "purge-confirm" }, "Purge expired personal data…");
  const confirmText = h("p", { id: "purge-confirm-text", tabindex: -1 },
    `Purge now the usernames, IP addresses, account and computer names of the victims of ${name} ingested before ${cutoff}? `,
    "This cannot be undone; counts and countries stay.");
  const go = h("button", { type: "button", class: "danger" }, "Purge now");
  const cancel = h("button", { type: "button" }, "Cancel");
  const confirm = h("div", { id: "purge-confirm", class: "purge-confirm", role: "group", "aria-labelledby": "purge-confirm-text", hidden: true },
    confirmText, h("div", { class: "buttons" }, go, cancel));

  const close = () => {
    confirm.hidden = true;
    start.setAttribute("aria-expanded", "false");
  };
  start.addEventListener("click", () => {
    confirm.hidden = false;
    start.setAttribute("aria-expanded", "true");
    replace(result);
    go.focus();
  });
  cancel.addEventListener("click", () => {
    close();
    start.focus();
  });
  go.addEventListener("click", () => {
    go.disabled = true;
    cancel.disabled = true;
    replace(result, h("p", { class: "loading", role: "status" }, "Purging…"));
    api<StealerPurgeResult>(operationApi(name, "/purge"), { method: "POST", signal }).then(
      (r) => {
        close();
        if (r.purged > 0) {
          // The counts and the victims' addresses changed: draw everything again.
          forgetOperationData();
          navigate(location.pathname + location.search,
            { replace: true, state: { purged: r.purged, at: Date.now() } satisfies PurgedState });
          return;
        }
        const p = purgeResult(r.purged);
        replace(result, p);
        p.focus();
      },
      (e: unknown) => {
        if (signal.aborted) return;
        close();
        replace(result, errorBox(e, e instanceof ApiError && e.status === 403 ? "The purge was refused." : "The purge failed."));
      },
    ).finally(() => {
      go.disabled = false;
      cancel.disabled = false;
    });
  });

  const earlier = purgedState(routeState);
  if (earlier) replace(result, purgeResult(earlier.purged));

  return h("section", { class: "panel", id: "purge", "aria-labelledby": "purge-heading" },
    h("h2", { id: "purge-heading" }, "Personal data"),
    h("p", null,
      `Usernames, victims' IP addresses, account and computer names are kept ${plural(summary.retention_days, "day")} after ingest, `,
      "then purged by the server on its own (counts and countries stay). ",
      `Purged so far: ${formatCount(summary.victims_purged)} of ${plural(summary.victims, "victim")}.`),
    start, confirm, result);
}

/** Whether the screen was drawn again after a purge (then the result is what to show). */
export function justPurged(routeState: unknown): boolean {
  return purgedState(routeState) !== null;
}
