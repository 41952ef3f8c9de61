// Import indicators: paste text or choose (or drop) a file — a STIX 2.x
// bundle, a MISP event, a CSV with a header or a plain list — and read the
// importer's report: new / already known / rejected, every rejected value
// with its line or object and the reason, and the events it made.
//
// POST /api/v1/import makes events of its own and cannot add to an existing
// one, so /import?event=<uuid> ("Add indicators" on an event) reads CSV and
// plain lists here, line by line as the server's readers do, and sends the
// values with PATCH /api/v1/events/{uuid}, which adds them to that event and
// leaves its title, TLP, tags and recipients alone.

import "./events.css";
import { ApiError, api, apiSend, walkPages } from "../api";
import { errorBox, notice, pagedTable } from "../components";
import { formatCount, h, replace, time, type Child } from "../dom";
import { type Route } from "../router";
import { identity } from "../session";
import { tlpLabel } from "../tlp";
import { OBSERVABLE_TYPES, type Event, type EventDetail, type ObservableType, type Tlp } from "../types";
import type { EventWriteResult, ImportFormat, ImportRejection, ImportResult, IndicatorInput } from "../types-events";
import { tlpSelect } from "./event-edit";
import { mayEditEvent, mayWriteEvents } from "./events";

/** What the body is sent as. "json": a STIX bundle or a MISP event, told apart by the server. */
type SendFormat = ImportFormat | "json";

const FORMAT_NAMES: Record<SendFormat, string> = {
  stix: "STIX 2.x bundle",
  misp: "MISP event JSON",
  json: "JSON (STIX or MISP; the server tells them apart)",
  csv: "CSV with a header row",
  list: "plain list, one value a line",
};

// application/json makes the server tell STIX from MISP itself; there is no
// media type that forces MISP.
const CONTENT_TYPES: Record<SendFormat, string> = {
  stix: "application/stix+json",
  misp: "application/json",
  json: "application/json",
  csv: "text/csv",
  list: "text/plain",
};

const PASTED_NAMES: Record<SendFormat, string> = {
  stix: "pasted.json", misp: "pasted.json", json: "pasted.json", csv: "pasted.csv", list: "pasted.txt",
};

/** How far back (by the browser's clock) to look for the events an import touched; wide for clock skew. */
const RECENT_WINDOW_MS = 24 * 3600 * 1000;
/** At most this many event ids read from a body are looked up. */
const MAX_CLAIMED_EVENTS = 50;
/** Larger JSON files are not parsed in the browser to find their event ids. */
const MAX_PARSED_BYTES = 20 * 1024 * 1024;

const COMPRESSED_SUFFIX = /\.(gz|zst|zstd)$/i;

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

const CSV_HEADER_WORDS = ["value", "indicator", "ioc", "type", "domain", "url", "ip"];

export function detectFormat(head: string, name: string): SendFormat | null {
  const lowerName = name.toLowerCase();
  if (COMPRESSED_SUFFIX.test(lowerName)) {
    // The bytes say nothing until unpacked: go by the name inside.
    const inner = lowerName.replace(COMPRESSED_SUFFIX, "");
    if (inner.endsWith(".json")) return "json";
    if (inner.endsWith(".csv") || inner.endsWith(".tsv")) return "csv";
    if (inner.endsWith(".txt") || inner.endsWith(".list")) return "list";
    return null;
  }
  const text = head.replace(/^\uFEFF/, "");
  const start = text.trimStart();
  if (start.startsWith("{") || start.startsWith("[")) {
    const misp = firstIndex(text, ['"Event"', '"Attribute"', '"response"']);
    const stix = firstIndex(text, ['"bundle"', '"spec_version"', '"objects"', "--"]);
    return misp < stix ? "misp" : "stix";
  }
  if (lowerName.endsWith(".csv") || lowerName.endsWith(".tsv")) return "csv";
  const firstLine = (text.split("\n", 1)[0] ?? "").toLowerCase();
  if (/[,;\t]/.test(firstLine) && CSV_HEADER_WORDS.some((w) => firstLine.includes(w))) return "csv";
  return "list";
}

// ---------------------------------------------------------------------------
// Reading CSV and lists in the browser, for adding to an existing event
// (the rules of exchange/text_readers.cc)

interface ParsedValues {
  inputs: IndicatorInput[];
  /** source line of each input */
  lines: number[];
  rejections: { line: number; value: string; reason: string }[];
  /** CSV columns the target event's own values replace */
  ignoredColumns: string[];
}

function trimCells(s: string): string {
  return s.replace(/^[ \t]+/, "").replace(/[ \t\r]+$/, "");
}

const IPV4_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/;

export function parseList(text: string): ParsedValues {
  const out: ParsedValues = { inputs: [], lines: [], rejections: [], ignoredColumns: [] };
  text.replace(/^\uFEFF/, "").split("\n").forEach((raw, idx) => {
    let line = raw;
    const comment = line.indexOf(" #");
    if (comment >= 0) line = line.slice(0, comment);
    line = trimCells(line);
    if (!line || line.startsWith("#") || line.startsWith(";") || line.startsWith("//")) return;
    // Blocklists write a C2 as "address:port": the address is the value, the port its comment.
    const withPort = IPV4_PORT.exec(line);
    out.inputs.push(withPort ? { type: "ipv4", value: withPort[1]!, comment: `port ${withPort[2]}` } : { value: line });
    out.lines.push(idx + 1);
  });
  return out;
}

type CsvColumn =
  | { kind: "ignored" } | { kind: "value" } | { kind: "type" } | { kind: "event" }
  | { kind: "role" } | { kind: "confidence" } | { kind: "first_seen" } | { kind: "last_seen" }
  | { kind: "valid_until" } | { kind: "comment" } | { kind: "is_indicator" }
  | { kind: "typed"; type: ObservableType };

const TYPED_COLUMNS: [ObservableType, string[]][] = [
  ["ipv4", ["ip", "ipv4", "ip_address", "ipv4_address", "dst_ip"]],
  ["ipv6", ["ipv6"]],
  ["cidr", ["cidr", "network", "netblock"]],
  ["domain", ["domain", "hostname", "host", "fqdn", "domain_name"]],
  ["url", ["url", "uri_full"]],
  ["email", ["email", "email_address"]],
  ["md5", ["md5"]],
  ["sha1", ["sha1", "sha_1"]],
  ["sha256", ["sha256", "sha_256"]],
  ["wallet", ["wallet", "btc", "bitcoin"]],
  ["filename", ["filename", "file_name"]],
];

function classifyHeader(raw: string): CsvColumn {
  const name = trimCells(raw).toLowerCase().replace(/[ -]/g, "_");
  const is = (...names: string[]) => names.includes(name);
  if (is("value", "indicator", "ioc", "observable", "attribute")) return { kind: "value" };
  if (is("type", "indicator_type", "ioc_type")) return { kind: "type" };
  if (is("event_uuid", "event", "event_id", "event_title", "title", "event_info", "info", "tlp", "tags", "tag", "labels")) {
    return { kind: "event" };
  }
  if (is("role", "category")) return { kind: "role" };
  if (is("confidence")) return { kind: "confidence" };
  if (is("first_seen", "firstseen", "valid_from")) return { kind: "first_seen" };
  if (is("last_seen", "lastseen")) return { kind: "last_seen" };
  if (is("valid_until", "expires", "expiry")) return { kind: "valid_until" };
  if (is("comment", "description", "note")) return { kind: "comment" };
  if (is("is_indicator", "to_ids")) return { kind: "is_indicator" };
  for (const [type, names] of TYPED_COLUMNS) if (names.includes(name)) return { kind: "typed", type };
  return { kind: "ignored" };
}

/** MISP and STIX spellings of types are accepted in a type column too. */
function csvType(raw: string): ObservableType | null {
  const t = trimCells(raw).toLowerCase();
  if ((OBSERVABLE_TYPES as readonly string[]).includes(t)) return t as ObservableType;
  const aliases: Record<string, ObservableType> = {
    ip: "ipv4", "ip-dst": "ipv4", "ip-src": "ipv4", "ipv4-addr": "ipv4", "ipv6-addr": "ipv6",
    hostname: "domain", "domain-name": "domain", fqdn: "domain",
    "email-addr": "email", "email-src": "email", "email-dst": "email",
    "sha-1": "sha1", "sha-256": "sha256", btc: "wallet", xmr: "wallet", "file-name": "filename", file: "filename",
  };
  return aliases[t] ?? null;
}

function sniffDelimiter(header: string): string {
  const count = (c: string) => header.split(c).length - 1;
  const commas = count(","), semis = count(";"), tabs = count("\t");
  if (tabs > commas && tabs >= semis) return "\t";
  if (semis > commas) return ";";
  return ",";
}

/** Records with their first line; quoted fields may span lines and hold "" for a quote. */
function csvRecords(text: string, delimiter: string): { line: number; fields: string[] }[] | { unterminatedAt: number } {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let blank = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else { if (c === "\n") line++; cell += c; }
      continue;
    }
    if (c === '"') { quoted = true; blank = false; }
    else if (c === delimiter) { fields.push(cell); cell = ""; blank = false; }
    else if (c === "\n") {
      fields.push(cell.replace(/\r$/, ""));
      if (!(blank && fields.length === 1 && trimCells(fields[0]!) === "")) records.push({ line: recordLine, fields });
      fields = []; cell = ""; blank = true; line++; recordLine = line;
    } else { cell += c; if (c.trim()) blank = false; }
  }
  if (quoted) return { unterminatedAt: recordLine };
  fields.push(cell.replace(/\r$/, ""));
  if (!(blank && fields.length === 1 && trimCells(fields[0]!) === "")) records.push({ line: recordLine, fields });
  return records;
}

/** Throws an Error in words when the CSV cannot be read at all. */
export function parseCsv(text: string): ParsedValues {
  const out: ParsedValues = { inputs: [], lines: [], rejections: [], ignoredColumns: [] };
  const body = text.replace(/^\uFEFF/, "");
  const headerLine = body.split("\n", 1)[0] ?? "";
  const parsed = csvRecords(body, sniffDelimiter(headerLine));
  if ("unterminatedAt" in parsed) throw new Error(`line ${parsed.unterminatedAt}: unterminated quoted field`);
  const [header, ...rows] = parsed;
  if (!header) throw new Error("the CSV is empty");
  const columns = header.fields.map(classifyHeader);
  if (!columns.some((c) => c.kind === "value" || c.kind === "typed")) {
    throw new Error(`line ${header.line}: the header names no value column (expected 'value', or a type such as 'ip', 'domain', 'url', 'sha256')`);
  }
  out.ignoredColumns = header.fields.filter((_, i) => columns[i]!.kind === "event").map((f) => trimCells(f));
  for (const row of rows) {
    if (row.fields.length !== columns.length) {
      out.rejections.push({ line: row.line, value: "", reason: `${row.fields.length} fields where the header has ${columns.length}` });
      continue;
    }
    const context: Omit<IndicatorInput, "value" | "type"> = {};
    let value = "";
    let type: ObservableType | undefined;
    const typed: { type: ObservableType; value: string }[] = [];
    let bad: string | null = null;
    columns.forEach((col, i) => {
      const cell = row.fields[i]!;
      if (bad !== null) return;
      switch (col.kind) {
        case "value": value = cell; break;
        case "type":
          if (cell.trim()) {
            const t = csvType(cell);
            if (t) type = t; else bad = `unknown type '${cell}'`;
          }
          break;
        case "role": if (cell) context.role = cell; break;
        case "confidence":
          if (cell.trim()) {
            const n = Number(cell.trim());
            if (!/^\d+$/.test(cell.trim()) || n > 100) bad = `confidence: '${cell}' is not a number from 0 to 100`;
            else context.confidence = n;
          }
          break;
        case "first_seen": case "last_seen": case "valid_until":
          if (cell.trim()) context[col.kind] = cell.trim();
          break;
        case "comment": if (cell) context.comment = cell; break;
        case "is_indicator": {
          const v = cell.trim().toLowerCase();
          context.is_indicator = !(v === "0" || v === "false" || v === "no");
          break;
        }
        case "typed": if (cell) typed.push({ type: col.type, value: cell }); break;
        case "event": case "ignored": break;
      }
    });
    if (bad !== null) {
      out.rejections.push({ line: row.line, value, reason: bad });
      continue;
    }
    const values: IndicatorInput[] = typed.map((t) => ({ ...context, type: t.type, value: t.value }));
    if (value) values.unshift({ ...context, ...(type ? { type } : {}), value });
    for (const v of values) {
      out.inputs.push(v);
      out.lines.push(row.line);
    }
  }
  return out;
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
  api<EventDetail>(`/events/${encodeURIComponent(eventUuid)}`, { signal }).then(
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

function importForm(box: HTMLElement, target: EventDetail | null, signal: AbortSignal): void {
  let file: { file: File; head: string } | null = null;

  const text = h("textarea", {
    id: "import-text", name: "text", rows: 12, spellcheck: "false", autocomplete: "off",
    "aria-describedby": "import-text-hint import-source-error",
  });
  const fileInput = h("input", {
    id: "import-file", name: "file", type: "file",
    accept: ".json,.csv,.tsv,.txt,.list,.gz,.zst,.zstd,application/json,text/csv,text/plain",
    "aria-describedby": "import-source-error",
  });
  const chosen = h("div", { class: "chosen-file", "aria-live": "polite" });
  const sourceError = h("p", { id: "import-source-error", class: "field-error", hidden: true });
  const dropZone = h("div", { class: "drop-zone" },
    h("label", { for: "import-text" }, "Paste indicators"),
    h("p", { id: "import-text-hint", class: "hint" },
      target
        ? "A CSV with a header row (value, type, role, confidence, first_seen, last_seen, valid_until, comment…) or one value a line; # starts a comment."
        : "A STIX 2.x bundle, a MISP event (JSON), a CSV with a header row, or one value a line (# starts a comment). Defanged values are accepted."),
    text,
    h("div", { class: "file-pick" },
      h("label", { for: "import-file" }, "Or choose a file"),
      fileInput,
      h("span", { class: "hint drop-hint", "aria-hidden": "true" }, "…or drop one on this box.")),
    chosen,
    sourceError);

  const formatOptions: SendFormat[] = target ? ["csv", "list"] : ["stix", "misp", "csv", "list"];
  const format = h("select", { id: "import-format", name: "format", "aria-describedby": "import-detected import-format-error" },
    h("option", { value: "" }, "Recognise it"),
    formatOptions.map((f) => h("option", { value: f }, FORMAT_NAMES[f])));
  const detected = h("output", { id: "import-detected", class: "hint", for: "import-text import-file" });
  const formatError = h("p", { id: "import-format-error", class: "field-error", hidden: true });

  const tlp = tlpSelect("import-tlp", "amber");
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
    const compressed = COMPRESSED_SUFFIX.test(chosenFile.name);
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
        "The values are added to this event and take its TLP (", tlpLabel(target.tlp), "), tags and recipients. ",
        "STIX bundles and MISP events become events of their own: ", h("a", { href: "/import" }, "import them here"), "."))]
    : h("div", { class: "form-row" },
        formatField,
        h("div", { class: "form-field" },
          h("label", { for: "import-tlp" }, "TLP for data without a marking"),
          h("p", { class: "hint" }, "STIX markings, MISP tlp: tags and a CSV tlp column win over this."),
          tlp),
        h("div", { class: "form-field" },
          h("label", { for: "import-title" }, "Event title (CSV and lists)"),
          h("p", { id: "import-title-hint", class: "hint" },
            "Empty: a new event for this upload. A title used before adds to that event ",
            h("strong", null, "and resets its TLP, tags, description and recipients"), " to this import's."),
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
    if (target && src.kind === "file" && COMPRESSED_SUFFIX.test(src.file.name)) {
      setError(sourceError, fileInput, "A compressed file cannot be added to an existing event; unpack it first.");
      fileInput.focus();
      return;
    }
    if (target && chosenFormat !== "csv" && chosenFormat !== "list") {
      setError(formatError, format,
        `This looks like a ${FORMAT_NAMES[chosenFormat]}: only CSV and plain lists can be added to an existing event.`);
      format.focus();
      return;
    }
    submit.disabled = true;
    status.hidden = false;
    const size = src.kind === "file" ? src.file.size : new Blob([src.text]).size;
    replace(status, `${target ? "Adding" : "Importing"} ${formatBytes(size)} as ${FORMAT_NAMES[chosenFormat]}…`);
    replace(results);
    const run = target
      ? addToEvent(target, src, chosenFormat as "csv" | "list", signal)
      : importNew(src, chosenFormat, { tlp: tlp.value as Tlp, title: title.value.trim(), name: name.value.trim() }, signal);
    run.then(
      (report) => {
        replace(results, report);
        report.querySelector<HTMLElement>("h2")?.focus();
      },
      (e: unknown) => {
        if (signal.aborted) return;
        const box = errorBox(e, target ? "Nothing was added." : "The import failed.");
        box.tabIndex = -1;
        replace(results, box);
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
// A new import: POST /import, then find the events it made

interface ImportChoices {
  tlp: Tlp;
  title: string;
  name: string;
}

interface TouchedEvent {
  event: Event;
  change: "created" | "updated" | "unchanged";
}

async function importNew(src: Source, format: SendFormat, choices: ImportChoices, signal: AbortSignal): Promise<HTMLElement> {
  const sourceName = choices.name || (src.kind === "file" ? src.file.name : PASTED_NAMES[format]);
  const json = format === "stix" || format === "misp" || format === "json";
  const claimed = !json ? []
    : src.kind === "text" ? claimedEventUuids(src.text)
    : !COMPRESSED_SUFFIX.test(src.file.name) && src.file.size <= MAX_PARSED_BYTES ? claimedEventUuids(await src.file.text())
    : [];
  // The report counts events but does not name them: note what this
  // organisation's events from the same source looked like before, and
  // compare after.
  const before = await recentEventsFrom(sourceName, signal);
  const claimedBefore = await lookUpEvents(claimed, signal);
  const result = await apiSend<ImportResult>("/import", src.kind === "file" ? src.file : src.text, CONTENT_TYPES[format], {
    params: {
      tlp: choices.tlp,
      title: format === "csv" || format === "list" ? choices.title || null : null,
      name: sourceName,
    },
    signal,
  });
  let touched: TouchedEvent[] | Error;
  try {
    touched = await touchedEvents(sourceName, before, claimed, claimedBefore, signal);
  } catch (e) {
    if (signal.aborted) throw e;
    touched = e instanceof Error ? e : new Error(String(e));
  }
  return importReport(result, sourceName, touched);
}

/** Event uuids a STIX or MISP body names: its reports' ids, its MISP events' uuids. */
function claimedEventUuids(body: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return []; // the server says what is wrong with it
  }
  const uuids = new Set<string>();
  const visitMisp = (item: unknown) => {
    const ev = (item as { Event?: { uuid?: unknown } } | null)?.Event;
    if (ev && typeof ev.uuid === "string") uuids.add(ev.uuid.toLowerCase());
  };
  const root = parsed as { objects?: unknown; response?: unknown } | null;
  if (root && Array.isArray(root.objects)) {
    for (const o of root.objects as { type?: unknown; id?: unknown }[]) {
      if (o?.type === "report" && typeof o.id === "string") uuids.add(o.id.slice(o.id.indexOf("--") + 2).toLowerCase());
    }
  }
  visitMisp(root);
  if (root && Array.isArray(root.response)) root.response.forEach(visitMisp);
  if (Array.isArray(parsed)) parsed.forEach(visitMisp);
  return [...uuids].slice(0, MAX_CLAIMED_EVENTS);
}

/** The caller's organisation's events from this source modified lately, by uuid. */
async function recentEventsFrom(sourceName: string, signal: AbortSignal): Promise<Map<string, Event>> {
  const orgId = identity()?.organisation_id;
  const found = new Map<string, Event>();
  if (orgId === undefined) return found;
  // The server files an upload's source under the organisation ("csv:feed.csv@org3").
  const suffixes = [`:${sourceName}@org${orgId}`, `:${sourceName}`];
  await walkPages<Event>("/events", "events", (e) => {
    if (e.source && suffixes.some((s) => e.source!.endsWith(s))) found.set(e.uuid, e);
  }, {
    params: { organisation: String(orgId), modified_since: new Date(Date.now() - RECENT_WINDOW_MS).toISOString() },
    pageSize: 1000,
    maxPages: 10,
    signal,
  });
  return found;
}

async function lookUpEvents(uuids: string[], signal: AbortSignal): Promise<Map<string, Event | null>> {
  const out = new Map<string, Event | null>();
  for (const uuid of uuids) {
    try {
      out.set(uuid, await api<EventDetail>(`/events/${encodeURIComponent(uuid)}`, { signal }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) out.set(uuid, null);
      else throw e;
    }
  }
  return out;
}

async function touchedEvents(
  sourceName: string,
  before: Map<string, Event>,
  claimed: string[],
  claimedBefore: Map<string, Event | null>,
  signal: AbortSignal,
): Promise<TouchedEvent[]> {
  const after = await recentEventsFrom(sourceName, signal);
  const claimedAfter = await lookUpEvents(claimed, signal);
  const orgId = identity()?.organisation_id;
  const touched = new Map<string, TouchedEvent>();
  for (const [uuid, e] of after) {
    const old = before.get(uuid);
    // An upsert keeps `created` and sets `modified` to the import's time, so
    // an event older than the window that this import grew still shows as
    // updated.
    if (!old) touched.set(uuid, { event: e, change: e.created === e.modified ? "created" : "updated" });
    else if (old.modified !== e.modified || old.indicator_count !== e.indicator_count) touched.set(uuid, { event: e, change: "updated" });
  }
  for (const [uuid, e] of claimedAfter) {
    if (!e || e.owner.id !== orgId || touched.has(uuid)) continue;
    const old = claimedBefore.get(uuid);
    const change = !old ? "created"
      : old.modified !== e.modified || old.indicator_count !== e.indicator_count || old.title !== e.title ? "updated"
      : "unchanged";
    touched.set(uuid, { event: e, change });
  }
  return [...touched.values()];
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

function rejectionTable(rows: { where: string; value: string; reason: string }[], omitted: number): HTMLElement {
  return h("section", { class: "report-part", "aria-labelledby": "rejected-heading" },
    h("h3", { id: "rejected-heading" }, `Rejected values: ${formatCount(rows.length + omitted)}`),
    rows.length === 0
      ? h("p", { class: "muted" }, "Nothing was rejected.")
      : pagedTable("Rejected values", ["Line or object", "Value", "Reason"], rows,
          (r) => h("tr", null,
            h("td", { class: "nowrap" }, r.where),
            h("td", null, r.value ? h("code", { class: "value" }, r.value) : h("span", { class: "muted" }, "—")),
            h("td", null, r.reason)),
          50),
    omitted > 0 ? h("p", { class: "muted" }, `${plural(omitted, "more rejection")} not listed (the server lists the first 1000).`) : null);
}

function warningNotice(n: number): HTMLElement | null {
  if (n === 0) return null;
  return notice(`${plural(n, "value is", "values are")} on a warning list: known benign, stored and searchable, but never a live indicator (no alerts, not exported as live).`, "warning");
}

function importReport(result: ImportResult, sourceName: string, touched: TouchedEvent[] | Error): HTMLElement {
  const r = result.report;
  const formatName = FORMAT_NAMES[r.format] ?? r.format;
  const stix = r.stix_objects_new + r.stix_objects_known > 0;
  return h("section", { class: "panel import-report", "aria-labelledby": "report-heading" },
    h("h2", { id: "report-heading", tabindex: -1 }, "Import report"),
    h("p", { class: "report-summary" },
      `Read as ${formatName}: ${plural(r.new_values, "new value")}, ${formatCount(r.known_values)} already known, ${formatCount(r.rejected)} rejected.`),
    h("dl", { class: "count-cards" },
      countCard("new", "New values", r.new_values, "not on the node before"),
      countCard("known", "Already known", r.known_values, "on the node already (now linked here too)"),
      countCard("rejected", "Rejected", r.rejected),
      countCard("warninglisted", "On a warning list", r.warninglisted),
      countCard("links", "Links added", r.links_added, "value–event pairs that are new"),
      countCard("events", "Events", r.events),
      stix ? countCard("stix", "STIX objects", r.stix_objects_new, `new; ${formatCount(r.stix_objects_known)} already known`) : null,
      r.sightings > 0 ? countCard("sightings", "Sightings", r.sightings) : null),
    warningNotice(r.warninglisted),
    eventsPart(r.events, r.format, touched),
    rejectionTable(result.rejections.map((x: ImportRejection) => ({ where: describeLocation(x.location, sourceName), value: x.value, reason: x.reason })),
      result.rejections_omitted));
}

function eventsPart(counted: number, format: ImportFormat, touched: TouchedEvent[] | Error): HTMLElement {
  const orgId = identity()?.organisation_id;
  const ownEvents = orgId === undefined ? "/events" : `/events?organisation=${orgId}`;
  let content: Child;
  if (touched instanceof Error) {
    content = [errorBox(touched, "The events of this import could not be listed."),
      h("p", null, h("a", { href: ownEvents }, "Your organisation's events"))];
  } else {
    content = [
      touched.length === 0
        ? h("p", { class: "muted" }, "No event of this import was found.")
        : pagedTable("Events of this import", ["TLP", "Event", "Indicators", "Modified", "Change"], touched,
            ({ event: e, change }) => h("tr", { "data-event": e.uuid },
              h("td", null, tlpLabel(e.tlp)),
              h("td", null, h("a", { href: `/events/${encodeURIComponent(e.uuid)}` }, e.title)),
              h("td", { class: "num" }, formatCount(e.indicator_count)),
              h("td", null, time(e.modified)),
              h("td", null, change)),
            25),
      // The report counts events but does not name them; they were found
      // by their source, so say when the two disagree.
      touched.length !== counted
        ? h("p", { class: "muted" },
            `The report counts ${plural(counted, "event")} but does not name them; ${touched.length === 1 ? "the one" : `the ${formatCount(touched.length)}`} listed here ${touched.length === 1 ? "was" : "were"} found by their source. `,
            format === "stix" ? "A STIX bundle's group for indicators outside any report is counted even when it ends up empty and is dropped. " : null,
            h("a", { href: ownEvents }, "Your organisation's events"), ".")
        : null,
    ];
  }
  return h("section", { class: "report-part", "aria-labelledby": "events-heading" },
    h("h3", { id: "events-heading" }, "Events"), content);
}

// ---------------------------------------------------------------------------
// Adding to an existing event: PATCH /events/{uuid} with the values

async function addToEvent(target: EventDetail, src: Source, format: "csv" | "list", signal: AbortSignal): Promise<HTMLElement> {
  const content = src.kind === "file" ? await src.file.text() : src.text;
  let parsed: ParsedValues;
  try {
    parsed = format === "csv" ? parseCsv(content) : parseList(content);
  } catch (e) {
    throw new Error(`The CSV cannot be read: ${e instanceof Error ? e.message : String(e)}.`);
  }
  const path = `/events/${encodeURIComponent(target.uuid)}`;
  let result: EventWriteResult | null = null;
  let before = target.indicator_count;
  if (parsed.inputs.length > 0) {
    before = (await api<EventDetail>(path, { signal })).indicator_count;
    try {
      result = await api<EventWriteResult>(path, { method: "PATCH", body: { indicators: parsed.inputs }, signal });
    } catch (e) {
      // A field the server refuses names its position: say which line that is.
      const at = e instanceof ApiError ? /^indicators\[(\d+)\]\.?(.*)$/.exec(e.message) : null;
      const line = at ? parsed.lines[Number(at[1])] : undefined;
      if (e instanceof ApiError && at && line !== undefined) {
        throw new ApiError(e.status, `line ${line}: ${at[2]!.replace(/^\s*/, "")}`);
      }
      throw e;
    }
  }
  const rejections = [
    ...parsed.rejections.map((r) => ({ line: r.line, value: r.value, reason: r.reason })),
    ...(result?.rejections ?? []).map((r) => ({ line: parsed.lines[r.index] ?? 0, value: r.value, reason: r.reason })),
  ].sort((a, b) => a.line - b.line);
  const event = result?.event ?? target;
  const linked = result?.linked ?? 0;
  const added = Math.max(0, event.indicator_count - before);
  return h("section", { class: "panel import-report", "aria-labelledby": "report-heading" },
    h("h2", { id: "report-heading", tabindex: -1 }, "Import report"),
    h("p", { class: "report-summary" },
      `Read as ${FORMAT_NAMES[format]}: ${plural(added, "value")} added to “${event.title}”, `,
      `${formatCount(linked - added)} already in it, ${formatCount(rejections.length)} rejected.`),
    h("dl", { class: "count-cards" },
      countCard("added", "Added to the event", added),
      countCard("already", "Already in the event", linked - added, "context updated"),
      countCard("rejected", "Rejected", rejections.length),
      countCard("warninglisted", "On a warning list", result?.warninglisted ?? 0)),
    h("p", { class: "muted" }, "Adding to an event does not tell which values were new to the node."),
    parsed.ignoredColumns.length
      ? notice(`Columns ${parsed.ignoredColumns.join(", ")} were not used: the event keeps its own title, TLP and tags.`)
      : null,
    warningNotice(result?.warninglisted ?? 0),
    h("section", { class: "report-part", "aria-labelledby": "events-heading" },
      h("h3", { id: "events-heading" }, "Event"),
      h("p", null, tlpLabel(event.tlp), " ",
        h("a", { href: `/events/${encodeURIComponent(event.uuid)}` }, event.title),
        ` — ${plural(event.indicator_count, "indicator")} now.`)),
    rejectionTable(rejections.map((r) => ({ where: r.line ? `line ${r.line}` : "—", value: r.value, reason: r.reason })), 0));
}
