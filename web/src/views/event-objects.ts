// The STIX objects an event came with (GET /api/v1/events/{uuid}/objects):
// its report, malware, ATT&CK techniques, intrusion sets, relationships and
// indicators, as received. Shown on the event page so that a report's
// context (which family, which techniques) is readable without a TAXII
// client. Events that did not come as STIX have none and show no panel.

import { api } from "../api";
import { errorBox, pagedTable } from "../components";
import { formatCount, h, replace, time } from "../dom";

/** A STIX object as stored; only the properties read here are typed. */
interface StixObject {
  type: string;
  id: string;
  name?: string;
  modified?: string;
  created?: string;
  pattern?: string;
  relationship_type?: string;
  source_ref?: string;
  target_ref?: string;
  sighting_of_ref?: string;
  description?: string;
  external_references?: { source_name?: string; external_id?: string }[];
  [key: string]: unknown;
}

interface EventObjects {
  objects: StixObject[];
  next: string | null;
}

/** More than an event page should hold; the API serves them all by cursor. */
const MAX_SHOWN = 5000;
const PAGE = 1000;

/** "T1555.003" for an ATT&CK object; null otherwise. */
function attackId(o: StixObject): string | null {
  const ref = (o.external_references ?? []).find((r) => r.source_name === "mitre-attack" && r.external_id);
  return ref?.external_id ?? null;
}

function label(o: StixObject | undefined, id: string): string {
  if (!o) return id;
  return o.name ?? attackId(o) ?? `${o.type} ${id.slice(id.indexOf("--") + 2, id.indexOf("--") + 10)}`;
}

/** What a row says an object is: its name, or what a relationship relates. */
function describe(o: StixObject, byId: Map<string, StixObject>): string {
  if (o.type === "relationship" && o.source_ref && o.target_ref) {
    return `${label(byId.get(o.source_ref), o.source_ref)} ${o.relationship_type ?? "relates to"} ${label(byId.get(o.target_ref), o.target_ref)}`;
  }
  if (o.type === "sighting" && o.sighting_of_ref) return `sighting of ${label(byId.get(o.sighting_of_ref), o.sighting_of_ref)}`;
  if (o.type === "indicator") return o.name ?? o.pattern ?? o.id;
  return o.name ?? attackId(o) ?? o.id;
}

async function loadAll(uuid: string, signal: AbortSignal): Promise<{ objects: StixObject[]; more: boolean }> {
  const objects: StixObject[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const page: EventObjects = await api<EventObjects>(
      `/events/${encodeURIComponent(uuid)}/objects?limit=${PAGE}${query}`, { signal });
    objects.push(...page.objects);
    cursor = page.next;
  } while (cursor && objects.length < MAX_SHOWN);
  return { objects, more: cursor !== null };
}

export function stixObjectsPanel(uuid: string, signal: AbortSignal): HTMLElement {
  const content = h("div", null, h("p", { class: "loading", role: "status" }, "Loading the STIX objects…"));
  const heading = h("h2", { id: "stix-heading" }, "STIX objects");
  const panel = h("section", { class: "panel stix-objects", "aria-labelledby": "stix-heading", hidden: true },
    heading, content);
  loadAll(uuid, signal).then(
    ({ objects, more }) => {
      if (objects.length === 0) return;  // not a STIX event: nothing to show
      panel.hidden = false;
      const byId = new Map<string, StixObject>();
      for (const o of objects) byId.set(o.id, o);  // later versions win
      const types = [...new Set(objects.map((o) => o.type))].sort();
      replace(heading, `STIX objects: ${formatCount(objects.length)}${more ? "+" : ""}`);
      const tableBox = h("div");
      const draw = (type: string) => {
        const shown = type === "" ? objects : objects.filter((o) => o.type === type);
        replace(tableBox, pagedTable(
          "STIX objects of this event",
          ["Type", "Name", "Modified", "Object"],
          shown,
          (o) => h("tr", null,
            h("td", null, o.type),
            h("td", { class: "title-cell" }, describe(o, byId)),
            h("td", null, time(o.modified ?? o.created ?? "")),
            h("td", null, h("details", null, h("summary", null, "JSON"),
              h("pre", { class: "stix-json" }, JSON.stringify(o, null, 2))))),
          50));
      };
      const select = h("select", { id: "stix-type", onchange: () => draw(select.value) },
        h("option", { value: "" }, `All types (${formatCount(objects.length)})`),
        ...types.map((t) => h("option", { value: t },
          `${t} (${formatCount(objects.filter((o) => o.type === t).length)})`)));
      replace(content,
        h("p", { class: "muted" }, "As the event's source sent them" +
          (more ? `; the first ${formatCount(objects.length)} are shown (the API serves the rest).` : ".")),
        h("p", null, h("label", { for: "stix-type" }, "Type "), select),
        tableBox);
      draw("");
    },
    (err: unknown) => {
      if (signal.aborted) return;
      panel.hidden = false;
      replace(content, errorBox(err));
    },
  );
  return panel;
}
