// Import indicators: paste text or choose (or drop) a file — a STIX 2.x
// bundle, a MISP event, a CSV with a header or a plain list, compressed or
// not, or an archive (zip, tar, 7z, rar) of such files — and read the
// importer's report: new / already known / rejected, every rejected value
// with its line or object and the reason, and the events it created or
// added to. /import?event=<uuid> ("Add indicators" on an event) sends the
// same bodies with event=<uuid>: everything goes into that event, which keeps
// its title, TLP, tags and recipients.

import "./events.css";
import { ApiError, api, apiSend, describeError, type Params } from "../api";
import { errorBox, notice, pagedTable } from "../components";
import { breakable, formatCount, h, replace } from "../dom";
import { type Route } from "../router";
import { identity } from "../session";
import { tlpLabel } from "../tlp";
import type { Event, Tlp } from "../types";
import type { ImportedFile, ImportFormat, ImportRejection, ImportResult, TouchedEvent } from "../types-events";
import { tlpSelect } from "./event-edit";
import { mayEditEvent, mayWriteEvents } from "./events";

/**
 * What the body is sent as. "json": a STIX bundle or a MISP event, told
 * apart by the server; "auto": bytes only the server can look into (an
 * archive of files, or a compressed file whose name does not say).
 */
type SendFormat = ImportFormat | "json" | "auto";

const FORMAT_NAMES: Record<SendFormat, string> = {
  stix: "STIX 2.x bundle",
  misp: "MISP event JSON",
  json: "JSON (STIX, MISP or a feed's list of records; the server tells them apart)",
  csv: "CSV with a header row",
  list: "plain list, one value a line",
  records: "a feed's JSON list of records",
  auto: "an archive or compressed file (the server looks inside)",
};

// application/json makes the server tell STIX from MISP itself; there is no
// media type that forces MISP.
const CONTENT_TYPES: Record<SendFormat, string> = {
  stix: "application/stix+json",
  misp: "application/json",
  json: "application/json",
  csv: "text/csv",
  list: "text/plain",
  records: "application/json",  // the server tells records from STIX and MISP
  // The server imports an archive of several files whatever its type, and
  // detects the format of a compressed file or a zip of one from its bytes.
  auto: "application/octet-stream",
};

const PASTED_NAMES: Record<SendFormat, string> = {
  stix: "pasted.json", misp: "pasted.json", json: "pasted.json", csv: "pasted.csv", list: "pasted.txt",
  records: "pasted.json", auto: "pasted.txt",
};

const COMPRESSED_SUFFIX = /\.(gz|zst|zstd|zip)$/i;
/** Archives of files (never one stream): the server reads each file in them. */
const ARCHIVE_SUFFIX = /\.(tar|tgz|tar\.(gz|zst|zstd|xz|bz2)|7z|rar)$/i;

// ---------------------------------------------------------------------------
// Recognising the format (the server's DetectFormat, exchange/importer.cc)

function firstIndex(text: string, needles: string[]): number {
  let best = Infinity;
  for (const n of needles) {
    const i = text.indexOf(n);
    if (i >= 0 && i < best) best = i;
  }
  return best;
}

// Header names the server's CSV reader takes as holding values
// (ClassifyHeader in exchange/text_readers.cc), after lower-casing and
// turning spaces and hyphens into underscores.
const CSV_VALUE_COLUMNS = new Set([
  "value", "indicator", "ioc", "observable", "attribute", "ioc_value",
  "ip", "ipv4", "ip_address", "ipv4_address", "dst_ip", "ipv6", "cidr", "network", "netblock",
  "domain", "hostname", "host", "fqdn", "domain_name", "url", "uri_full", "email", "email_address",
  "md5", "sha1", "sha_1", "sha256", "sha_256", "wallet", "btc", "bitcoin", "filename", "file_name",
]);

function sniffDelimiter(line: string): string {
  const count = (c: string) => line.split(c).length - 1;
  const commas = count(","), semis = count(";"), tabs = count("\t");
  if (tabs > commas && tabs >= semis) return "\t";
  return semis > commas ? ";" : ",";
}

// Fields of one CSV line, quotes honoured (enough to read a header).
function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "", quoted = false, wasQuoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.trim() === "" && !wasQuoted) { field = ""; quoted = wasQuoted = true; }
    else if (c === delimiter) { fields.push(wasQuoted ? field : field.trim()); field = ""; wasQuoted = false; }
    else field += c;
  }
  fields.push(wasQuoted ? field : field.trim());
  return fields;
}

// The header's field count when `line` names a value column, else 0.
function csvHeaderFields(line: string): number {
  const fields = splitCsvLine(line, sniffDelimiter(line));
  const names = fields.map((f) => f.trim().toLowerCase().replace(/[ -]/g, "_"));
  return names.some((n) => CSV_VALUE_COLUMNS.has(n)) ? fields.length : 0;
}

// The server's LooksLikeCsv: past '#' comments, the first other line is a
// header, or the comment just before it is one with as many fields (abuse.ch
// dumps write "# id,dateadded,url,...").
function looksLikeCsv(text: string): boolean {
  let lastComment = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith("#")) { lastComment = line.replace(/^#+/, "").trim(); continue; }
    const own = csvHeaderFields(line);
    if (own) return own >= 2;
    const fromComment = lastComment ? csvHeaderFields(lastComment) : 0;
    return fromComment >= 2 && splitCsvLine(line, sniffDelimiter(lastComment)).length === fromComment;
  }
  return false;
}

export function detectFormat(head: string, name: string): SendFormat | null {
  const lowerName = name.toLowerCase();
  if (ARCHIVE_SUFFIX.test(lowerName)) return "auto";
  if (COMPRESSED_SUFFIX.test(lowerName)) {
    // The bytes say nothing until unpacked: go by the name inside, else
    // let the server look (a zip may hold several files of any format).
    const inner = lowerName.replace(COMPRESSED_SUFFIX, "");
    if (inner.endsWith(".json")) return "json";
    if (inner.endsWith(".csv") || inner.endsWith(".tsv")) return "csv";
    if (inner.endsWith(".txt") || inner.endsWith(".list")) return "list";
    return "auto";
  }
  const text = head.replace(/^\uFEFF/, "");
  const start = text.trimStart();
  if (start.startsWith("{") || start.startsWith("[")) {
    const misp = firstIndex(text, ['"Event"', '"Attribute"', '"response"']);
    const stixId = text.search(/--[0-9a-fA-F]{8}-/);
    const stix = Math.min(firstIndex(text, ['"bundle"', '"spec_version"', '"objects"']),
      stixId < 0 ? Infinity : stixId);
    if (misp < stix) return "misp";
    // Neither (a feed's list of indicator objects, say): the server tells.
    return stix < Infinity ? "stix" : "json";
  }
  if (lowerName.endsWith(".csv") || lowerName.endsWith(".tsv")) return "csv";
  return looksLikeCsv(text.slice(0, 16384)) ? "csv" : "list";
}

// ---------------------------------------------------------------------------
// The screen

export function importView(main: HTMLElement, route: Route, signal: AbortSignal): void {
  const heading = h("h1", { tabindex: -1 }, "Import indicators");
  const body = h("div");
  const eventUuid = route.params.get("event");
  replace(main,
    eventUuid ? h("p", { class: "crumbs" }, h("a", { href: `/events/${encodeURIComponent(eventUuid)}` }, "← Event")) : null,
    heading, body);
  if (!mayWriteEvents()) {
    replace(body, h("p", { role: "status" },
      `Your role (${identity()?.role ?? "unknown"}) may not import: that takes an admin, analyst or contributor key.`));
    return;
  }
  if (!eventUuid) {
    importForm(body, null, signal);
    return;
  }
  replace(heading, "Add indicators to an event");
  replace(body, h("p", { class: "loading", role: "status" }, "Loading the event…"));
  api<Event>(`/events/${encodeURIComponent(eventUuid)}?indicators=none`, { signal }).then(
    (e) => {
      if (!mayEditEvent(e)) {
        replace(body, h("p", { role: "status" },
          `Only its owner organisation, ${e.owner.name ?? `organisation #${e.owner.id}`}, may add indicators to “${e.title}”. `,
          h("a", { href: "/import" }, "Import into an event of your own"), " instead."));
        return;
      }
      replace(heading, "Add indicators to ", tlpLabel(e.tlp), " ", e.title);
      document.title = `Add indicators to ${e.title} — Accord`;
      importForm(body, e, signal);
    },
    (err: unknown) => {
      if (signal.aborted) return;
      replace(body,
        err instanceof ApiError && err.status === 404
          ? h("p", { role: "status" }, "There is no such event, or you may not read it. ",
              h("a", { href: "/import" }, "Import into a new event"), " instead.")
          : errorBox(err));
    },
  );
}

/** What is to be imported: pasted text, or a file with the start of its text (to recognise it). */
type Source =
  | { kind: "text"; text: string }
  | { kind: "file"; file: File; head: string };

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function importForm(box: HTMLElement, target: Event | null, signal: AbortSignal): void {
  let file: { file: File; head: string } | null = null;

  const text = h("textarea", {
    id: "import-text", name: "text", rows: 12, spellcheck: "false", autocomplete: "off",
    "aria-describedby": "import-text-hint import-source-error",
  });
  const fileInput = h("input", {
    id: "import-file", name: "file", type: "file",
    accept: ".json,.csv,.tsv,.txt,.list,.gz,.zst,.zstd,.zip,.tar,.tgz,.xz,.bz2,.7z,.rar,application/json,text/csv,text/plain",
    "aria-describedby": "import-file-hint import-source-error",
  });
  const chosen = h("div", { class: "chosen-file", "aria-live": "polite" });
  const sourceError = h("p", { id: "import-source-error", class: "field-error", hidden: true });
  const dropZone = h("div", { class: "drop-zone" },
    h("label", { for: "import-text" }, "Paste indicators"),
    h("p", { id: "import-text-hint", class: "hint" },
      "A STIX 2.x bundle, a MISP event (JSON), a CSV with a header row, or one value a line (# starts a comment). Defanged values are accepted."),
    text,
    h("div", { class: "file-pick" },
      h("label", { for: "import-file" }, "Or choose a file"),
      fileInput,
      h("span", { class: "hint drop-hint", "aria-hidden": "true" }, "…or drop one on this box."),
      h("p", { id: "import-file-hint", class: "hint" },
        "Compressed (gzip, zstd) or not; a zip, tar, 7z or rar archive imports each file in it, its format recognised from its content and name.")),
    chosen,
    sourceError);

  const formatOptions: SendFormat[] = ["stix", "misp", "csv", "list"];
  const format = h("select", { id: "import-format", name: "format", "aria-describedby": "import-detected import-format-error" },
    h("option", { value: "" }, "Recognise it"),
    formatOptions.map((f) => h("option", { value: f }, FORMAT_NAMES[f])));
  const detected = h("output", { id: "import-detected", class: "hint", for: "import-text import-file" });
  const formatError = h("p", { id: "import-format-error", class: "field-error", hidden: true });

  // Not stated by default: a feed re-uploaded under its title then grows its
  // event at the event's level, as `accord import` without --tlp does; a
  // stated level stricter than that event sends the values to its companion.
  const tlp = tlpSelect("import-tlp", "amber");
  tlp.prepend(h("option", { value: "", class: "tlp-unstated" }, "Not stated: AMBER for a new event"));
  tlp.value = "";
  const unpaintUnstated = () => { if (tlp.value === "") tlp.className = "tlp-select"; };
  tlp.addEventListener("change", unpaintUnstated);
  unpaintUnstated();
  const title = h("input", { id: "import-title", name: "title", type: "text", autocomplete: "off", "aria-describedby": "import-title-hint" });
  const name = h("input", { id: "import-name", name: "name", type: "text", autocomplete: "off", "aria-describedby": "import-name-hint" });

  const submit = h("button", { type: "submit", class: "primary" }, target ? "Add to the event" : "Import");
  const status = h("p", { class: "loading", role: "status" });
  const results = h("div", { class: "results" });

  const currentSource = (): Source | null => {
    if (file) return { kind: "file", ...file };
    return text.value.trim() ? { kind: "text", text: text.value } : null;
  };
  const recognised = (): SendFormat | null => {
    const src = currentSource();
    if (!src) return null;
    return src.kind === "file" ? detectFormat(src.head, src.file.name) : detectFormat(src.text.slice(0, 65536), "");
  };
  const showDetected = () => {
    const src = currentSource();
    const f = recognised();
    const chosenFormat = format.value as SendFormat | "";
    const says = !src ? "Nothing to recognise yet."
      : !f ? "A compressed file whose name does not say what is inside: choose its format."
      : chosenFormat && chosenFormat !== f ? `Recognised: ${FORMAT_NAMES[f]}; sent as ${FORMAT_NAMES[chosenFormat]}, as chosen.`
      : `Recognised: ${FORMAT_NAMES[f]}.`;
    // An <output> is a live region: rewrite it only when it says something new, not on every keystroke.
    if (detected.textContent !== says) replace(detected, says);
    // Only one source at a time: a chosen file replaces the pasted text.
    text.disabled = file !== null;
  };

  const setFile = async (chosenFile: File | null) => {
    if (!chosenFile) {
      file = null;
      fileInput.value = "";
      replace(chosen);
      showDetected();
      return;
    }
    const compressed = COMPRESSED_SUFFIX.test(chosenFile.name) || ARCHIVE_SUFFIX.test(chosenFile.name);
    const head = compressed ? "" : await chosenFile.slice(0, 65536).text();
    file = { file: chosenFile, head };
    const remove = h("button", { type: "button", onclick: () => { void setFile(null); text.focus(); } }, "Remove file");
    replace(chosen, h("p", null, "File: ", h("strong", null, chosenFile.name), ` (${formatBytes(chosenFile.size)}). `,
      "The pasted text is set aside while a file is chosen. ", remove));
    showDetected();
  };
  fileInput.addEventListener("change", () => void setFile(fileInput.files?.[0] ?? null));
  text.addEventListener("input", showDetected);
  format.addEventListener("change", showDetected);
  dropZone.addEventListener("dragover", (ev: DragEvent) => {
    if (!ev.dataTransfer?.types.includes("Files")) return;
    ev.preventDefault();
    dropZone.classList.add("drop-zone-active");
  });
  dropZone.addEventListener("dragleave", () => dropZone.classList.remove("drop-zone-active"));
  dropZone.addEventListener("drop", (ev: DragEvent) => {
    const dropped = ev.dataTransfer?.files?.[0];
    dropZone.classList.remove("drop-zone-active");
    if (!dropped) return;
    ev.preventDefault();
    void setFile(dropped);
  });

  const formatField = h("div", { class: "form-field" },
    h("label", { for: "import-format" }, "Format"),
    format,
    detected,
    formatError);
  const options = target
    ? [h("div", { class: "form-row" }, formatField),
       notice(h("span", null,
        "Everything in it goes into this event: the values and objects of a STIX bundle or a MISP event, the rows of a CSV, the lines of a list. ",
        h("strong", null, "The event keeps its title, TLP (", tlpLabel(target.tlp), "), tags and recipients"),
        ": the titles, tags and events the body names are not used, nor markings as strict as the event's or less.",
        target.tlp === "red" ? null : h("span", null,
          " A value the body marks more strictly (a TLP:RED STIX indicator, a MISP attribute tagged tlp:red) ",
          "goes into the event's companion at that level (“", target.title, " (TLP:RED values)” for RED), which only that level's readers see.")))]
    : h("div", { class: "form-row" },
        formatField,
        h("div", { class: "form-field" },
          h("label", { for: "import-tlp" }, "TLP for data without a marking"),
          h("p", { class: "hint" }, "STIX markings, MISP tlp: tags and a CSV tlp column win over this. ",
            "Not stated, values without a marking take AMBER in a new event and the level of an existing event of the same title."),
          tlp),
        h("div", { class: "form-field" },
          h("label", { for: "import-title" }, "Event title (CSV, lists, JSON records)"),
          h("p", { id: "import-title-hint", class: "hint" },
            "MISP events keep their own titles; a STIX bundle's objects outside any report are grouped under it. ",
            "Empty: a new event for this upload (each file of an archive: the event of its file name). ",
            "A title an earlier import used adds to that import's event (an event made with New event is not found by its title: use its Add indicators button); ",
            "its TLP, tags, description and recipients stay as they are unless the data itself states them (a CSV tlp column), ",
            "and values marked, or brought under the TLP chosen here, more strictly than that event go into its companion at their level ",
            "(“<title> (TLP:RED values)”)."),
          title),
        h("div", { class: "form-field" },
          h("label", { for: "import-name" }, "Source name"),
          h("p", { id: "import-name-hint", class: "hint" }, "Shown as the events' source and in rejections; the file name when empty."),
          name));

  const form = h("form", { class: "import-form panel", novalidate: true, "aria-label": "Indicators to import" },
    dropZone,
    options,
    h("div", { class: "form-actions" }, submit),
    status);
  status.hidden = true;

  const setError = (el: HTMLElement, control: HTMLElement, message: string | null) => {
    el.hidden = message === null;
    replace(el, message ?? "");
    if (message === null) control.removeAttribute("aria-invalid");
    else control.setAttribute("aria-invalid", "true");
  };

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    setError(sourceError, text, null);
    setError(formatError, format, null);
    const src = currentSource();
    if (!src) {
      setError(sourceError, text, "Paste indicators or choose a file: there is nothing to import.");
      text.focus();
      return;
    }
    const chosenFormat = (format.value as SendFormat | "") || recognised();
    if (!chosenFormat) {
      setError(formatError, format, "Choose the format of this compressed file.");
      format.focus();
      return;
    }
    submit.disabled = true;
    status.hidden = false;
    const size = src.kind === "file" ? src.file.size : new Blob([src.text]).size;
    replace(status, `${target ? "Adding" : "Importing"} ${formatBytes(size)} as ${FORMAT_NAMES[chosenFormat]}…`);
    replace(results);
    runImport(src, chosenFormat, target, { tlp: tlp.value === "" ? null : tlp.value as Tlp, title: title.value.trim(), name: name.value.trim() }, signal).then(
      (report) => {
        replace(results, report);
        report.querySelector<HTMLElement>("h2")?.focus();
      },
      (e: unknown) => {
        if (signal.aborted) return;
        // Not "nothing was added": batches committed before a failure stay.
        const box = errorBox(e, "The import failed.");
        box.tabIndex = -1;
        // A body that broke partway was committed batch by batch up to the
        // error: the server's answer says how much, and that is shown.
        const partial = e instanceof ApiError ? committedBefore(e.body) : null;
        replace(results, box, partial
          ? [notice(`Committed before the error: ${partial.report.values_committed.toLocaleString("en-GB")} values in ${partial.report.batches_committed} batch${partial.report.batches_committed === 1 ? "" : "es"}; they are in the node. The report below counts everything read up to the error.`, "warning"),
             importReport(partial, src.kind === "file" ? src.file.name : "pasted text", signal)]
          : null);
        box.focus();
      },
    ).finally(() => {
      submit.disabled = false;
      status.hidden = true;
    });
  });

  showDetected();
  replace(box, form, results);
}


// ---------------------------------------------------------------------------
// POST /import, and its report

interface ImportChoices {
  tlp: Tlp | null;
  title: string;
  name: string;
}

async function runImport(src: Source, format: SendFormat, target: Event | null, choices: ImportChoices,
  signal: AbortSignal): Promise<HTMLElement> {
  const sourceName = choices.name || (src.kind === "file" ? src.file.name : PASTED_NAMES[format]);
  // Into an existing event the server keeps that event's title and TLP, so
  // only the source name (for the rejections' locations) goes with it.
  const params: Params = target
    ? { event: target.uuid, name: sourceName }
    : { tlp: choices.tlp, title: format === "misp" ? null : choices.title || null, name: sourceName };
  const result = await apiSend<ImportResult>("/import", src.kind === "file" ? src.file : src.text, CONTENT_TYPES[format],
    { params, signal });
  return importReport(result, sourceName, signal);
}

/** "feed.csv@org3:12" is line 12; other locations (STIX ids, MISP paths) lose only the file name. */
function describeLocation(location: string, sourceName: string): string {
  const line = /^(.*?)(?:@org\d+)?:(\d+)$/.exec(location);
  if (line && (line[1] === sourceName || line[1] === "")) return `line ${line[2]}`;
  const rest = location.replace(/@org\d+/g, "");
  if (rest.startsWith(`${sourceName}: `)) return rest.slice(sourceName.length + 2);
  return rest === sourceName ? "the whole file" : rest;
}

function countCard(key: string, label: string, value: number, note?: string): HTMLElement {
  return h("div", { class: `count-card count-${key}` },
    h("dt", null, label),
    h("dd", null, h("span", { class: "count-value", "data-count": key }, formatCount(value)), note ? h("span", { class: "count-note" }, note) : null));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function notMatchedTable(rows: { where: string; value: string; reason: string }[]): HTMLElement | null {
  if (rows.length === 0) return null;
  return h("section", { class: "report-part", "aria-labelledby": "not-matched-heading" },
    h("h3", { id: "not-matched-heading" }, `Kept, nothing to match: ${formatCount(rows.length)}`),
    h("p", { class: "muted" }, "Well-formed content that gives no value to match (a YARA or Sigma rule, a pattern outside the matched subset, a MISP type with no observable): stored as it came, not an error."),
    pagedTable("Kept, nothing to match", ["Line or object", "Value", "Why"], rows,
      (r) => h("tr", null,
        h("td", { class: "nowrap" }, r.where),
        h("td", { class: "value-cell" }, r.value ? h("code", { class: "value" }, breakable(r.value)) : h("span", { class: "muted" }, "—")),
        h("td", null, r.reason)),
      50));
}

function rejectionTable(rows: { where: string; value: string; reason: string }[], omitted: number): HTMLElement {
  return h("section", { class: "report-part", "aria-labelledby": "rejected-heading" },
    h("h3", { id: "rejected-heading" }, `Rejected values: ${formatCount(rows.length + omitted)}`),
    rows.length === 0
      ? h("p", { class: "muted" }, "Nothing was rejected.")
      : pagedTable("Rejected values", ["Line or object", "Value", "Reason"], rows,
          (r) => h("tr", null,
            h("td", { class: "nowrap" }, r.where),
            h("td", { class: "value-cell" }, r.value ? h("code", { class: "value" }, breakable(r.value)) : h("span", { class: "muted" }, "—")),
            h("td", null, r.reason)),
          50),
    omitted > 0 ? h("p", { class: "muted" }, `${plural(omitted, "more rejection")} not listed (the server lists the first 1000).`) : null);
}

function warningNotice(n: number): HTMLElement | null {
  if (n === 0) return null;
  return notice(`${plural(n, "value is", "values are")} on a warning list: known benign, stored and searchable, but never a live indicator (no alerts, not exported as live).`, "warning");
}

/** The report part of a failed import's answer, when it committed anything. */
function committedBefore(body: unknown): ImportResult | null {
  if (typeof body !== "object" || body === null || !("report" in body)) return null;
  const result = body as Partial<ImportResult>;
  if (!result.report || result.report.batches_committed <= 0) return null;
  return { report: result.report, rejections: result.rejections ?? [], rejections_omitted: result.rejections_omitted ?? 0,
    files: result.files };
}

function importReport(result: ImportResult, sourceName: string, signal: AbortSignal): HTMLElement {
  const r = result.report;
  const formatName = r.format === "archive" ? `an archive of ${plural(result.files?.length ?? 0, "file")}`
    : FORMAT_NAMES[r.format] ?? r.format;
  const stix = r.stix_objects_new + r.stix_objects_known > 0;
  return h("section", { class: "panel import-report", "aria-labelledby": "report-heading" },
    h("h2", { id: "report-heading", tabindex: -1 }, "Import report"),
    h("p", { class: "report-summary" },
      `Read as ${formatName}: ${plural(r.new_values, "new value")}, ${formatCount(r.known_values)} already known, ${formatCount(r.rejected)} rejected` +
      ((r.not_matched ?? 0) > 0 ? `, ${formatCount(r.not_matched ?? 0)} with nothing to match.` : ".")),
    h("dl", { class: "count-cards" },
      countCard("new", "New values", r.new_values, "not on the node before"),
      countCard("known", "Already known", r.known_values, "on the node already, in this event or another"),
      countCard("rejected", "Rejected", r.rejected),
      (r.not_matched ?? 0) > 0 ? countCard("not-matched", "Nothing to match", r.not_matched ?? 0, "kept as they came, not errors") : null,
      countCard("warninglisted", "On a warning list", r.warninglisted),
      countCard("links", "Links added", r.links_added, "value–event pairs that are new"),
      countCard("events", "Events", r.events),
      stix ? countCard("stix", "STIX objects", r.stix_objects_new, `new; ${formatCount(r.stix_objects_known)} already known`) : null,
      r.sightings > 0 ? countCard("sightings", "Sightings", r.sightings) : null,
      (r.sightings_updated ?? 0) > 0
        ? countCard("sightings-updated", "Sightings updated", r.sightings_updated ?? 0, "a later version gave a larger count or span")
        : null,
      (r.withdrawn ?? 0) > 0
        ? countCard("withdrawn", "Withdrawn", r.withdrawn ?? 0, "no longer live: revoked, dropped by a new version or deleted")
        : null),
    warningNotice(r.warninglisted),
    result.files ? filesTable(result.files) : null,
    h("section", { class: "report-part", "aria-labelledby": "events-heading" },
      h("h3", { id: "events-heading" }, "Events"),
      r.touched_events.length === 0
        ? h("p", { class: "muted" }, "The import created no event and added to none.")
        : touchedTable(r.touched_events, signal)),
    rejectionTable(result.rejections.filter((x: ImportRejection) => !x.not_matched)
      .map((x: ImportRejection) => ({ where: describeLocation(x.location, sourceName), value: x.value, reason: x.reason })),
      result.rejections_omitted),
    notMatchedTable(result.rejections.filter((x: ImportRejection) => x.not_matched === true)
      .map((x: ImportRejection) => ({ where: describeLocation(x.location, sourceName), value: x.value, reason: x.reason }))));
}

/** An archive's files: what each was read as and brought, or why not. */
function filesTable(files: ImportedFile[]): HTMLElement {
  return h("section", { class: "report-part", "aria-labelledby": "files-heading" },
    h("h3", { id: "files-heading" }, `Files in the archive: ${formatCount(files.length)}`),
    pagedTable("Files of this archive", ["File", "Read as", "New", "Known", "Rejected", "Note"], files, (f) =>
      h("tr", { "data-file": f.name },
        h("td", null, h("code", null, f.name)),
        h("td", null, f.format ? FORMAT_NAMES[f.format] : "—"),
        h("td", { class: "num" }, formatCount(f.new_values ?? 0)),
        h("td", { class: "num" }, formatCount(f.known_values ?? 0)),
        h("td", { class: "num" }, formatCount(f.rejected ?? 0)),
        h("td", null, f.error ? `stopped here: ${f.error}` : f.skipped === "empty" ? "empty, skipped" : f.skipped === "binary" ? "binary data, skipped" : f.skipped ?? "")), 25));
}

/**
 * The events the report names. The report gives only their uuids: each
 * row reads its event's title and TLP when its page of the table is shown,
 * so a MISP dump of thousands of events costs a page of reads at a time.
 */
function touchedTable(touched: TouchedEvent[], signal: AbortSignal): HTMLElement {
  const read = new Map<string, Promise<Event>>();
  return pagedTable("Events of this import", ["TLP", "Event", "Indicators", "Change"], touched, (t) => {
    const tlpCell = h("td", null, "…");
    const link = h("a", { href: `/events/${encodeURIComponent(t.uuid)}` }, h("code", null, t.uuid));
    const titleCell = h("td", null, link);
    const countCell = h("td", { class: "num" }, "…");
    const row = h("tr", { "data-event": t.uuid, "aria-busy": "true" },
      tlpCell, titleCell, countCell, h("td", null, t.created ? "created" : "added to"));
    let event = read.get(t.uuid);
    if (!event) {
      event = api<Event>(`/events/${encodeURIComponent(t.uuid)}?indicators=none`, { signal });
      read.set(t.uuid, event);
    }
    event.then(
      (e) => {
        replace(tlpCell, tlpLabel(e.tlp));
        replace(link, e.title);
        replace(countCell, formatCount(e.indicator_count));
      },
      (err: unknown) => {
        if (signal.aborted) return;
        replace(tlpCell, "—");
        replace(countCell, "—");
        titleCell.append(h("span", { class: "muted" }, ` (could not be read: ${describeError(err)})`));
      },
    ).finally(() => row.removeAttribute("aria-busy"));
    return row;
  }, 25);
}
