// The SQL of the migrations of the other jobs' tables (6-9, 23, 30): early warning
// (constituencies, alerts and their acknowledgement), the 24/7 network and
// infostealer operations, following the conventions at the top of
// migration_sql.cc, which holds the exchange core's. migrations.cc lists both
// in version order and applies them. A migration is never edited once
// released (migrations.h).
#include <string_view>

#include "store/sqlite/migration_sql.h"

namespace accord::sqlite {

// Early warning (version 6): the networks organisations answer for, and
// alerts. An alert is readable by the TLP rules of the events it names; its
// routed organisation is a named recipient only when routed_reads says that
// organisation may read every one of those events itself, so routing never
// widens an event's audience.
constexpr std::string_view kEarlyWarning = R"sql(
CREATE TABLE constituencies (
  id      INTEGER PRIMARY KEY,
  org_id  INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  network TEXT NOT NULL,
  created TEXT NOT NULL,
  UNIQUE (org_id, network)
);
CREATE TABLE alerts (
  id            INTEGER PRIMARY KEY,
  uuid          TEXT NOT NULL UNIQUE,
  created       TEXT NOT NULL,
  observable_id INTEGER NOT NULL REFERENCES observables(id),
  tlp           INTEGER NOT NULL CHECK (tlp BETWEEN 0 AND 4),
  owner_org_id  INTEGER REFERENCES organisations(id),
  routed_org_id INTEGER REFERENCES organisations(id),
  routed_reads  INTEGER NOT NULL DEFAULT 0 CHECK (routed_reads IN (0, 1)),
  country       TEXT,
  victim        TEXT,
  count         INTEGER NOT NULL DEFAULT 1,
  first_seen    TEXT NOT NULL,
  last_seen     TEXT NOT NULL,
  json          TEXT NOT NULL
);
CREATE INDEX alerts_by_routed_org ON alerts(routed_org_id, id);
CREATE INDEX alerts_by_country ON alerts(country, id);
CREATE INDEX alerts_by_observable ON alerts(observable_id);
)sql";

// 24/7 network: the points-of-contact directory and urgent requests with
// their history, links, attachments (bytes kept with their SHA-256 for chain
// of custody) and the notices the clocks raise. Request rows carry the
// clock columns so due and overdue requests are found by index.
constexpr std::string_view kNetwork247 = R"sql(
CREATE TABLE points_of_contact (
  org_id          INTEGER PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  languages       TEXT NOT NULL,
  hours           TEXT NOT NULL,
  time_zone       TEXT NOT NULL,
  channels        TEXT NOT NULL,
  backup_name     TEXT NOT NULL,
  backup_channels TEXT NOT NULL,
  updated         TEXT NOT NULL
);
CREATE TABLE requests (
  id              INTEGER PRIMARY KEY,
  uuid            TEXT NOT NULL UNIQUE,
  reference       TEXT UNIQUE,
  type            TEXT NOT NULL,
  state           TEXT NOT NULL,
  urgency         TEXT NOT NULL,
  from_org_id     INTEGER NOT NULL REFERENCES organisations(id),
  to_org_id       INTEGER NOT NULL REFERENCES organisations(id),
  subject         TEXT NOT NULL,
  fields          TEXT NOT NULL,
  created         TEXT NOT NULL,
  updated         TEXT NOT NULL,
  sent_at         TEXT,
  ack_due         TEXT,
  acknowledged_at TEXT,
  executed_at     TEXT,
  preserved_until TEXT,
  closed_at       TEXT,
  escalated_at    TEXT,
  version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX requests_by_from ON requests(from_org_id, id);
CREATE INDEX requests_by_to ON requests(to_org_id, id);
CREATE INDEX requests_by_state ON requests(state, id);
CREATE TABLE request_history (
  seq          INTEGER PRIMARY KEY,
  request_id   INTEGER NOT NULL REFERENCES requests(id),
  time         TEXT NOT NULL,
  actor        TEXT NOT NULL,
  actor_org_id INTEGER,
  action       TEXT NOT NULL,
  from_state   TEXT NOT NULL,
  to_state     TEXT NOT NULL,
  reason       TEXT NOT NULL,
  detail       TEXT NOT NULL
);
CREATE INDEX request_history_by_request ON request_history(request_id, seq);
CREATE TABLE request_links (
  request_id INTEGER NOT NULL REFERENCES requests(id),
  kind       TEXT NOT NULL,
  ref        TEXT NOT NULL,
  added      TEXT NOT NULL,
  PRIMARY KEY (request_id, kind, ref)
);
CREATE TABLE request_attachments (
  id         INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  name       TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size       INTEGER NOT NULL,
  sha256     TEXT NOT NULL,
  added      TEXT NOT NULL,
  actor      TEXT NOT NULL,
  content    BLOB NOT NULL
);
CREATE INDEX request_attachments_by_request ON request_attachments(request_id, id);
CREATE TABLE request_notices (
  id         INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  kind       TEXT NOT NULL,
  key        TEXT NOT NULL,
  created    TEXT NOT NULL,
  org_id     INTEGER REFERENCES organisations(id),
  addressee  TEXT NOT NULL,
  message    TEXT NOT NULL,
  UNIQUE (request_id, key, org_id)
);
CREATE INDEX request_notices_by_org ON request_notices(org_id, id);
)sql";

// Infostealer operations: victims (one per machine id and operation),
// their credentials (passwords only as SHA-1; usernames until the purge)
// and the C2 servers. The exposure range query scans an index of the
// digests' first 60 bits as integers (prefix = range): an integer index is
// a fifth the size of one on 40 hex characters, which is what keeps a 5 M
// credential ingest from thrashing the page cache.
constexpr std::string_view kStealer = R"sql(
CREATE TABLE stealer_operations (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE,
  org_id         INTEGER NOT NULL REFERENCES organisations(id),
  event_id       INTEGER REFERENCES events(id) ON DELETE SET NULL,
  retention_days INTEGER NOT NULL,
  created        TEXT NOT NULL
);
CREATE TABLE stealer_victims (
  id            INTEGER PRIMARY KEY,
  operation_id  INTEGER NOT NULL REFERENCES stealer_operations(id),
  machine_id    TEXT NOT NULL,
  family        TEXT NOT NULL,
  ip            TEXT,
  country       TEXT,
  asn           INTEGER,
  os            TEXT,
  user_name     TEXT,
  computer_name TEXT,
  build_id      TEXT,
  infected_at   TEXT,
  cookies       INTEGER NOT NULL DEFAULT 0,
  autofills     INTEGER NOT NULL DEFAULT 0,
  credentials   INTEGER NOT NULL DEFAULT 0,
  source        TEXT NOT NULL,
  ingested      TEXT NOT NULL,
  purged        INTEGER NOT NULL DEFAULT 0,
  UNIQUE (operation_id, machine_id)
);
CREATE TABLE stealer_credentials (
  victim_id     INTEGER NOT NULL REFERENCES stealer_victims(id),
  domain        TEXT,
  username      TEXT,
  username_sha1 TEXT,
  password_sha1 TEXT,
  username_key  INTEGER,
  password_key  INTEGER
);
CREATE INDEX stealer_credentials_by_victim ON stealer_credentials(victim_id);
CREATE INDEX stealer_credentials_by_password ON stealer_credentials(password_key)
  WHERE password_key IS NOT NULL;
CREATE INDEX stealer_credentials_by_username ON stealer_credentials(username_key)
  WHERE username_key IS NOT NULL;
CREATE TABLE stealer_c2 (
  id           INTEGER PRIMARY KEY,
  operation_id INTEGER NOT NULL REFERENCES stealer_operations(id),
  type         TEXT NOT NULL,
  value        TEXT NOT NULL,
  family       TEXT,
  country      TEXT,
  asn          INTEGER,
  as_org       TEXT,
  first_seen   TEXT,
  last_seen    TEXT,
  evidence     TEXT NOT NULL,
  UNIQUE (operation_id, type, value)
);
)sql";

// Alerts are acknowledged once per node by whoever handles them; the feed
// shows unacknowledged ones first and the newest first, hence the index.
constexpr std::string_view kAlertAcknowledgement = R"sql(
ALTER TABLE alerts ADD COLUMN acknowledged_at TEXT;
ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT;
)sql";

// A hit of a later run or request counts into the open alert for its
// indicator, victim and organisation (version 23): found by this index
// whatever the alert history of a widely hit indicator.
constexpr std::string_view kOpenAlertsIndex = R"sql(
CREATE INDEX alerts_open_by_key ON alerts(observable_id, victim, owner_org_id, first_seen)
  WHERE acknowledged_at IS NULL;
)sql";

// The alert feed reads newest observed first (version 30): by when
// telemetry last hit (last_seen), not by when the node stored the alert,
// so a replayed old log does not sit on top of today's hits. id breaks ties
// and makes the key a cursor can start below (or, for the page before,
// above).
constexpr std::string_view kAlertsByLastSeen = R"sql(
CREATE INDEX alerts_by_last_seen ON alerts(last_seen, id);
)sql";

// The malware families an alert names, as AlertFamiliesKey writes them
// (each between unit separators), so the feed's family filter and the
// dashboard read a column instead of parsing every alert's JSON.
constexpr std::string_view kAlertFamilies = R"sql(
ALTER TABLE alerts ADD COLUMN families TEXT NOT NULL DEFAULT '';
UPDATE alerts SET families = coalesce((
    SELECT char(31) || group_concat(value, char(31)) || char(31)
    FROM json_each(alerts.json, '$.families')
    WHERE type = 'text' AND value <> '' AND instr(value, char(31)) = 0), '')
  WHERE json_valid(json) AND json_type(json, '$.families') = 'array';
)sql";

// A request's history line names the audit record written with it, whose
// detail lists the line's hash (network247.cc): `audit verify` then sees a
// line edited, removed or added behind the store's back. Lines written
// before this version are not sealed; meta says up to which seq they go,
// so a line added later without a record is not taken for one of them.
// An alert's routed organisation that may read some of its events but not
// all is warned too, reading the alert with those events only (their
// families in routed_families). Alerts held keep their audience: 0.
constexpr std::string_view kRoutedPartialAlerts = R"sql(
ALTER TABLE alerts ADD COLUMN routed_partial INTEGER NOT NULL DEFAULT 0 CHECK (routed_partial IN (0, 1));
ALTER TABLE alerts ADD COLUMN routed_families TEXT NOT NULL DEFAULT '';
)sql";

constexpr std::string_view kSealedRequestHistory = R"sql(
ALTER TABLE request_history ADD COLUMN audit_seq INTEGER;
INSERT INTO meta(key, value)
  SELECT 'request_history.sealed_after', CAST(coalesce(max(seq), 0) AS TEXT) FROM request_history
  WHERE true
  ON CONFLICT(key) DO UPDATE SET value = excluded.value;
)sql";

}  // namespace accord::sqlite
