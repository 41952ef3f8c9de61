// Shapes of the REST API (/api/v1) this UI reads, as docs/openapi.json
// describes them. Only the fields the UI uses are listed where a schema is
// large; the names and nullability follow the OpenAPI file exactly.

export type Tlp = "clear" | "green" | "amber" | "amber+strict" | "red";
export const TLP_LEVELS: readonly Tlp[] = ["clear", "green", "amber", "amber+strict", "red"];

export type Role = "admin" | "analyst" | "contributor" | "reader" | "poc";

export type ObservableType =
  | "ipv4" | "ipv6" | "cidr" | "domain" | "url" | "email"
  | "md5" | "sha1" | "sha256" | "wallet" | "filename";
export const OBSERVABLE_TYPES: readonly ObservableType[] = [
  "ipv4", "ipv6", "cidr", "domain", "url", "email", "md5", "sha1", "sha256", "wallet", "filename",
];

export interface ErrorBody {
  error: { status: number; message: string };
}

export interface Whoami {
  key_id: string;
  organisation_id: number;
  role: Role;
  /** the organisation's name, when the server says it (newer servers) */
  organisation?: string;
}

export interface OrgRef {
  id: number;
  /** null when the organisation is no longer on the node */
  name: string | null;
}

export interface Organisation {
  id: number;
  uuid: string;
  name: string;
  country: string;
  kind: "law-enforcement" | "cert" | "private-partner" | "international";
  contact: string;
  created: string;
  /** a peer node's organisation: who here is named a recipient of what it brings; null: none */
  shares_with_id: number | null;
}

export interface OrganisationList {
  organisations: Organisation[];
}

export interface Event {
  uuid: string;
  title: string;
  description: string;
  tlp: Tlp;
  owner: OrgRef;
  recipients: OrgRef[];
  tags: string[];
  created: string;
  modified: string;
  stix_id: string | null;
  source: string | null;
  indicator_count: number;
  /** MISP's grading, null when the event never had one */
  threat_level: "high" | "medium" | "low" | "undefined" | null;
  analysis: "initial" | "ongoing" | "completed" | null;
}

export interface IndicatorContext {
  role: string | null;
  confidence: number | null;
  first_seen: string | null;
  last_seen: string | null;
  valid_until: string | null;
  comment: string | null;
  stix_id: string | null;
  is_indicator: boolean;
  /** the malware family a feed names for the value (a CSV's malware column, a STIX indicates) */
  family?: string | null;
}

export interface Indicator extends IndicatorContext {
  type: ObservableType;
  /** normalized */
  value: string;
  warninglist: string | null;
}

export interface EventDetail extends Event {
  indicators: Indicator[];
}

/** GET /api/v1/events/{uuid}/related: the correlation of a whole event. */
export interface RelatedEvents {
  events: (Event & { shared: number })[];
  truncated: boolean;
}

export interface EventPage {
  events: Event[];
  next: string | null;
  /** the events the caller may read that pass the filters, on every page together */
  total: number;
  /** of those, the ones before this page (0 on the first) */
  before: number;
  /** cursor of the page before; null on the first */
  prev: string | null;
}

/** GET /api/v1/events/{uuid}/indicators: one page of an event's indicators. */
export interface EventIndicatorPage {
  indicators: Indicator[];
  next: string | null;
  /** first page only (no cursor): the event's indicators that pass the filters, on every page together */
  total: number | null;
  /** with types=true: the event's indicators of each type, most first */
  types: { type: ObservableType; count: number }[] | null;
}

export interface IndicatorListItem extends Indicator {
  event: { uuid: string; title: string; tlp: Tlp; modified: string };
}

export interface IndicatorPage {
  indicators: IndicatorListItem[];
  next: string | null;
}

export interface Observable {
  type: ObservableType;
  value: string;
}

export interface CorrelatedEvent {
  event: Event;
  context: IndicatorContext;
}

export interface SightingView {
  organisation: OrgRef;
  count: number;
  first_seen: string | null;
  last_seen: string | null;
  /** shown only for the caller's own organisation's sightings */
  source: string | null;
}

export interface Lookup {
  observable: Observable;
  /** Whether a visible event carries the value itself (else only covered_by has it). */
  found: boolean;
  created: string | null;
  warninglist: string | null;
  events: CorrelatedEvent[];
  sightings: SightingView[];
  sighting_count: number;
  /** Stored networks, parent domains or a URL's host that cover it, nearest first. */
  covered_by: { observable: Observable; events: CorrelatedEvent[] }[];
}

export interface Alert {
  id: string;
  matched: string;
  type: ObservableType;
  seen: string;
  kind: string;
  source: string;
  offset: number;
  tlp: Tlp;
  /** source: where the event came from (api, misp:<file>, a feed); null when the caller may not read it or it is gone */
  events: { uuid: string; title: string; tlp: Tlp; tags: string[]; source?: string | null }[];
  families: string[];
  victim: string;
  country: string;
  asn: number | null;
  as_organisation: string;
  organisation: string;
  count: number;
  first_seen: string;
  last_seen: string;
  /** who acknowledged it and when; null while nobody has */
  acknowledged: { at: string; by: string } | null;
  /** whether the caller may acknowledge it now (its organisation raised it or is routed it) */
  may_acknowledge?: boolean;
}

export interface AlertPage {
  alerts: Alert[];
  /** the page after (older, newest first); null on the last */
  next: string | null;
  /** the page before (newer, newest first); null on the first */
  prev: string | null;
  /** the alerts the caller may read that pass the filters, on every page together */
  total: number;
}

export type RequestState =
  | "draft" | "sent" | "acknowledged" | "in-progress" | "executed"
  | "extended" | "closed" | "refused" | "withdrawn";

export interface Deadline {
  kind: "acknowledgement" | "preservation";
  due: string;
  overdue: boolean;
  seconds_left: number;
}

export interface RequestSummary {
  id: string;
  reference: string;
  type: string;
  state: RequestState;
  urgency: string;
  from: { id: number; name: string };
  to: { id: number; name: string };
  subject: string;
  missing_fields: string[];
  created: string;
  updated: string;
  deadline: Deadline | null;
  version: number;
}

export interface RequestList {
  requests: RequestSummary[];
}

export interface StealerOperationListItem {
  name: string;
  created: string;
  retention_days: number;
  organisation: OrgRef;
  tlp: Tlp;
  victims: number;
  credentials: number;
  c2_servers: number;
}

export interface StealerOperationList {
  operations: StealerOperationListItem[];
}

/** GET /api/v1/stats: the dashboard's numbers, counted over what the caller may read. */
export interface Stats {
  generated: string;
  days: number;
  counts: {
    events: number;
    live_indicators: number;
    alerts: number;
    alerts_today: number;
    alerts_unacknowledged: number;
    operations: number;
    victims: number;
    open_requests: number;
    overdue_requests: number;
    draft_requests: number;
  };
  alerts_by_country: Record<string, number>;
  victims_by_country: Record<string, number>;
  operations: { name: string; victims_by_country: Record<string, number> }[];
  timeline: { day: string; alerts: number; indicators: number }[];
  top_families: { family: string; alerts: number; indicators: number }[];
}
