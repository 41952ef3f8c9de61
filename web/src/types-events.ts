// Shapes of the REST API (/api/v1) used by the event editing and import
// screens, as docs/openapi.json describes them (EventInput,
// EventWriteResult, ImportResult, PointOfContactList).

import type { Event, EventDetail, ObservableType, Tlp } from "./types";

/** IndicatorInput: a raw value the server normalizes as the importer does. */
export interface IndicatorInput {
  /** omitted: detected from the value */
  type?: ObservableType;
  value: string;
  role?: string;
  confidence?: number;
  first_seen?: string;
  last_seen?: string;
  valid_until?: string;
  comment?: string;
  is_indicator?: boolean;
}

/** Body of POST/PUT/PATCH /events; PATCH leaves out what it keeps. */
export interface EventInput {
  title?: string;
  description?: string;
  tlp?: Tlp;
  tags?: string[];
  /** organisations named for AMBER/RED, by id or by exact name */
  recipients?: (number | string)[];
  indicators?: IndicatorInput[];
}

export interface ValueRejection {
  /** position in the request's indicators */
  index: number;
  value: string;
  reason: string;
}

export interface EventWriteResult {
  /** Event when written with indicators=none, as the edit form writes */
  event: EventDetail | Event;
  rejections: ValueRejection[];
  linked: number;
  warninglisted: number;
  removed: number;
}

export type ImportFormat = "stix" | "misp" | "csv" | "list" | "records";

export interface TouchedEvent {
  uuid: string;
  /** false: an existing event was added to or updated */
  created: boolean;
}

export interface ImportReport {
  /** "archive": an archive of several files, each in ImportResult.files */
  format: ImportFormat | "archive";
  events: number;
  new_values: number;
  known_values: number;
  rejected: number;
  /** well-formed values or objects that give nothing to match (kept, not errors) */
  not_matched?: number;
  warninglisted: number;
  links_added: number;
  stix_objects_new: number;
  stix_objects_known: number;
  sightings: number;
  /** stored sightings a later version gave a larger count or a wider span */
  sightings_updated?: number;
  /** links that stopped being live: revoked, dropped by a new version, deleted in MISP */
  withdrawn?: number;
  batches_committed: number;
  /** values (new and known) in the committed batches: after a failure, what is in the node */
  values_committed: number;
  /** the events the import created or added to, in order */
  touched_events: TouchedEvent[];
}

export interface ImportRejection {
  /** "name:line" for CSV and lists; an object id or path for STIX and MISP */
  location: string;
  value: string;
  reason: string;
  /** true: not an error, the input gives nothing to match (a YARA rule, say) */
  not_matched?: boolean;
}

/** One file of an imported archive, in the archive's order. */
export interface ImportedFile {
  /** its path inside the archive */
  name: string;
  /** as the server detected it; null when skipped */
  format: ImportFormat | null;
  new_values?: number;
  known_values?: number;
  rejected?: number;
  events?: number;
  skipped?: string;
  /** why the import stopped at this file (the last listed) */
  error?: string;
}

export interface ImportResult {
  report: ImportReport;
  /** at most 1000 */
  rejections: ImportRejection[];
  rejections_omitted: number;
  /** an archive's files and what each brought */
  files?: ImportedFile[];
}

/** The part of a PointOfContact the screens use: which organisation it is. */
export interface PointOfContactEntry {
  organisation: { id: number; name: string; kind: string };
  country: string;
}

export interface PointOfContactList {
  points_of_contact: PointOfContactEntry[];
}
