// Shapes of the 24/7 network's REST API (/api/v1/requests, /requests-types,
// /requests-clocks, /pocs) as docs/openapi.json describes them; names and
// nullability follow the OpenAPI file exactly.

import type { Deadline, RequestState } from "./types";

export type { Deadline, RequestState };

export type RequestTypeName =
  | "preservation" | "traffic-disclosure" | "subscriber-info" | "emergency-disclosure" | "assistance";

export type Urgency = "emergency" | "urgent" | "normal";
export const URGENCIES: readonly Urgency[] = ["emergency", "urgent", "normal"];

export type RequestAction = "send" | "ack" | "start" | "execute" | "extend" | "close" | "refuse" | "withdraw";

export interface RequestParty {
  id: number;
  name: string;
  /** in a RequestView */
  country?: string;
  /** in a RequestView: its point of contact's zone (UTC without one) */
  time_zone?: string;
}

/** A request as listed (RequestSummary in the OpenAPI file). */
export interface RequestRecord {
  id: string;
  reference: string;
  type: RequestTypeName;
  state: RequestState;
  urgency: Urgency;
  from: RequestParty;
  to: RequestParty;
  subject: string;
  fields: Record<string, string>;
  /** required fields that are absent or blank: a request missing one cannot be sent */
  missing_fields: string[];
  created: string;
  updated: string;
  sent_at: string | null;
  ack_due: string | null;
  acknowledged_at: string | null;
  executed_at: string | null;
  preserved_until: string | null;
  closed_at: string | null;
  escalated_at: string | null;
  deadline: Deadline | null;
  version: number;
}

export interface RequestRecordList {
  requests: RequestRecord[];
}

export interface LocalTime {
  utc: string;
  /** in the requesting party's zone */
  requester: string;
  /** in the requested party's zone */
  recipient: string;
}

export interface RequestHistoryEntry {
  time: string;
  actor: string;
  /** the party the actor spoke for; empty for the node (clocks) */
  organisation: string;
  /** create, edit, an action, note, link, attach, reminder, escalation, expired */
  action: string;
  from_state: string;
  to_state: string;
  /** grounds, reason or note text */
  reason: string;
}

export type RequestLinkKind = "event" | "observable" | "operation";

export interface RequestLink {
  kind: RequestLinkKind;
  ref: string;
  added: string;
}

export interface RequestAttachment {
  id: number;
  name: string;
  media_type: string;
  size: number;
  sha256: string;
  added: string;
  actor: string;
}

export interface RequestView extends RequestRecord {
  type_description: string;
  local_times: Partial<Record<"sent_at" | "ack_due" | "acknowledged_at" | "executed_at" | "preserved_until", LocalTime>>;
  history: RequestHistoryEntry[];
  links: RequestLink[];
  attachments: RequestAttachment[];
  /** the reminders, escalations and expiries addressed to the viewer's organisation */
  notices: RequestNotice[];
  /** what the caller may do now (empty for a reader) */
  allowed_actions: RequestAction[];
}

export interface RequestNotice {
  kind: "reminder" | "escalation" | "expired";
  created: string;
  organisation: string;
  addressee: string;
  message: string;
}

export interface RequestFieldSpec {
  name: string;
  label: string;
  /** the legal text that asks for it; empty when practice, not law */
  basis: string;
  required: boolean;
}

export interface RequestTypeSpec {
  type: RequestTypeName;
  description: string;
  default_urgency: Urgency;
  fields: RequestFieldSpec[];
}

export interface RequestTypeList {
  types: RequestTypeSpec[];
}

/** POST /api/v1/requests */
export interface RequestInput {
  type: RequestTypeName;
  urgency?: Urgency;
  to: number | string;
  subject?: string;
  fields?: Record<string, string>;
  send?: boolean;
}

/** PATCH /api/v1/requests/{handle}: a null or empty field removes it */
export interface RequestEdit {
  subject?: string;
  urgency?: Urgency;
  fields?: Record<string, string | null>;
  version?: number;
}

/** POST /api/v1/requests/{handle}/actions */
export interface RequestActionInput {
  action: RequestAction;
  reason?: string;
  preserved_until?: string;
  version?: number;
}

export interface ContactChannel {
  kind: string;
  value: string;
}

export interface PointOfContact {
  organisation: { id: number; name: string; kind: string };
  country: string;
  name: string;
  languages: string[];
  hours: string;
  time_zone: string;
  channels: ContactChannel[];
  backup: { name: string; channels: ContactChannel[] };
  updated: string;
}

export interface PointOfContactList {
  points_of_contact: PointOfContact[];
}

export interface ClockPolicy {
  ack: Record<Urgency, string>;
  preservation_period: string;
  reminders: string[];
}
