// Shapes of the infostealer operation endpoints (/api/v1/stealer/...), as
// docs/openapi.json and src/server/rest_stealer.cc give them. The list
// shapes stay in types.ts (the dashboard reads them too).

import type { ObservableType, OrgRef, Tlp } from "./types";

export type { StealerOperationList, StealerOperationListItem } from "./types";

/** ISO 3166-1 alpha-2, or "XX" when the country is unknown. */
export type CountryCode = string;

export interface StealerServiceCount {
  /** registrable domain */
  domain: string;
  /** stolen accounts on it */
  accounts: number;
  /** machines they were stolen from */
  victims: number;
}

export interface StealerHostingGroup {
  /** 0 when unknown */
  asn: number;
  /** "XX" when unknown */
  country: CountryCode;
  /** "" when unknown */
  as_organisation: string;
  servers: number;
}

/** GET /stealer/operations/{name} (stealer::SummaryReport with organisation and TLP). */
export interface StealerOperationSummary {
  operation: string;
  created: string;
  retention_days: number;
  organisation: OrgRef;
  tlp: Tlp;
  victims: number;
  victims_purged: number;
  credentials: number;
  cookies: number;
  victims_by_country: Record<CountryCode, number>;
  victims_by_family: Record<string, number>;
  victims_by_country_and_family: Record<CountryCode, Record<string, number>>;
  /** infection day (YYYY-MM-DD, or "unknown") → victims */
  timeline: Record<string, number>;
  /** distinct affected domains */
  services: number;
  /** the (at most 50) domains with the most stolen accounts, most first */
  top_services: StealerServiceCount[];
  c2_servers: number;
  c2_by_country: Record<CountryCode, number>;
  c2_by_asn: StealerHostingGroup[];
}

/** An infected machine; the API never gives usernames or passwords. */
export interface StealerVictim {
  machine_id: string;
  family: string;
  /** null once the personal data was purged */
  ip: string | null;
  country: CountryCode | null;
  asn: number | null;
  os: string | null;
  build_id: string | null;
  infected_at: string | null;
  ingested: string;
  credentials: number;
  cookies: number;
  autofills: number;
  purged: boolean;
}

export interface StealerVictimPage {
  victims: StealerVictim[];
  next: string | null;
}

/** Where a partner reported a C2 server; every field may be missing. */
export interface StealerC2Evidence {
  source?: string;
  location?: string;
  note?: string;
  added?: string;
}

export interface StealerC2Server {
  type: ObservableType;
  value: string;
  family: string | null;
  country: CountryCode | null;
  asn: number | null;
  as_organisation: string | null;
  first_seen: string | null;
  last_seen: string | null;
  evidence: StealerC2Evidence[];
}

export interface StealerC2List {
  c2_servers: StealerC2Server[];
}

export interface StealerPurgeResult {
  operation: string;
  /** victims whose personal data this call purged */
  purged: number;
}

/** The `kind` values of GET .../packages (one at a time here). */
export type StealerPackageKind = "takedown" | "victims" | "services" | "summary" | "all";
/** The `format` values of GET .../packages. */
export type StealerPackageFormat = "all" | "json" | "csv" | "stix";
