#include "store/sqlite/migrations.h"

#include <string>

#include "core/time.h"

namespace accord::sqlite {
namespace {

// Conventions for every table below:
// - absent optional values are NULL, never '' (the structs use "");
// - timestamps are RFC 3339 UTC text as FormatTimestamp writes them, so text
//   order is time order;
// - correlation is not stored: it is the set of links sharing an
//   observable_id, found through links_by_observable.
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE organisations (
  id      INTEGER PRIMARY KEY,
  uuid    TEXT NOT NULL UNIQUE,
  name    TEXT NOT NULL UNIQUE,
  country TEXT,
  kind    TEXT,
  contact TEXT,
  created TEXT NOT NULL
);

CREATE TABLE api_keys (
  id      INTEGER PRIMARY KEY,
  key_id  TEXT NOT NULL UNIQUE,
  org_id  INTEGER NOT NULL REFERENCES organisations(id),
  user    TEXT,
  role    TEXT NOT NULL,
  salt    TEXT NOT NULL,
  hash    TEXT NOT NULL,
  created TEXT NOT NULL,
  expires TEXT,
  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);

-- observable_count is maintained by the import batch (one UPDATE per event
-- per batch), so listing events never counts links.
CREATE TABLE events (
  id               INTEGER PRIMARY KEY,
  uuid             TEXT NOT NULL UNIQUE,
  title            TEXT,
  description      TEXT,
  tlp              INTEGER NOT NULL CHECK (tlp BETWEEN 0 AND 4),
  owner_org_id     INTEGER REFERENCES organisations(id),
  created          TEXT NOT NULL,
  modified         TEXT NOT NULL,
  stix_id          TEXT,
  source           TEXT,
  observable_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE event_tags (
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  tag      TEXT NOT NULL,
  PRIMARY KEY (event_id, tag)
) WITHOUT ROWID;

CREATE TABLE event_recipients (
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  org_id   INTEGER NOT NULL REFERENCES organisations(id),
  PRIMARY KEY (event_id, org_id)
) WITHOUT ROWID;

-- One row per (type, normalized value): the unit of correlation.
CREATE TABLE observables (
  id          INTEGER PRIMARY KEY,
  type        INTEGER NOT NULL CHECK (type BETWEEN 1 AND 255),
  value       TEXT NOT NULL,
  created     TEXT NOT NULL,
  warninglist TEXT,
  UNIQUE (type, value)
);

-- One row per (event, observable) with the indicator context. Clustered on
-- the key, so an event's links are contiguous; links_by_observable gives an
-- observable's events (the correlation) without a table of pairs.
CREATE TABLE links (
  event_id      INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  observable_id INTEGER NOT NULL REFERENCES observables(id),
  role          TEXT,
  confidence    INTEGER CHECK (confidence BETWEEN 0 AND 100),
  first_seen    TEXT,
  last_seen     TEXT,
  valid_until   TEXT,
  comment       TEXT,
  stix_id       TEXT,
  is_indicator  INTEGER NOT NULL DEFAULT 1 CHECK (is_indicator IN (0, 1)),
  PRIMARY KEY (event_id, observable_id)
) WITHOUT ROWID;
CREATE INDEX links_by_observable ON links(observable_id);
CREATE INDEX links_by_stix_id ON links(stix_id) WHERE stix_id IS NOT NULL;

CREATE TABLE sightings (
  id            INTEGER PRIMARY KEY,
  observable_id INTEGER NOT NULL REFERENCES observables(id),
  org_id        INTEGER REFERENCES organisations(id),
  count         INTEGER NOT NULL DEFAULT 1,
  first_seen    TEXT,
  last_seen     TEXT,
  source        TEXT
);
CREATE INDEX sightings_by_observable ON sightings(observable_id);

-- Every version of every STIX object, verbatim. `modified` is the version
-- key: the object's modified, else its created, else '' (never NULL, so the
-- UNIQUE constraint also deduplicates unversioned objects). seq is
-- AUTOINCREMENT so a TAXII cursor never sees a number reused.
CREATE TABLE stix_objects (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  id           TEXT NOT NULL,
  type         TEXT NOT NULL,
  spec_version TEXT,
  created      TEXT,
  modified     TEXT NOT NULL,
  date_added   TEXT NOT NULL,
  tlp          INTEGER NOT NULL CHECK (tlp BETWEEN 0 AND 4),
  owner_org_id INTEGER REFERENCES organisations(id),
  event_id     INTEGER REFERENCES events(id) ON DELETE SET NULL,
  json         TEXT NOT NULL,
  UNIQUE (id, modified)
);
CREATE INDEX stix_objects_by_type ON stix_objects(type, seq);
CREATE INDEX stix_objects_by_date_added ON stix_objects(date_added);
CREATE INDEX stix_objects_by_event ON stix_objects(event_id) WHERE event_id IS NOT NULL;

CREATE TABLE warninglists (
  id                  INTEGER PRIMARY KEY,
  name                TEXT NOT NULL UNIQUE,
  description         TEXT,
  type                TEXT,
  version             INTEGER NOT NULL DEFAULT 0,
  matching_attributes TEXT NOT NULL DEFAULT '[]'  -- JSON array of strings
);
CREATE TABLE warninglist_entries (
  list_id INTEGER NOT NULL REFERENCES warninglists(id) ON DELETE CASCADE,
  value   TEXT NOT NULL
);
CREATE INDEX warninglist_entries_by_list ON warninglist_entries(list_id);

-- Hash-chained: hash = AuditRecordHash(fields, prev_hash). Fields are kept
-- exactly as hashed ('' stays ''), since the record is a signed document.
-- meta 'audit.head' holds "<seq> <hash>" of the last record, so removing the
-- tail of the chain is detected too.
CREATE TABLE audit_log (
  seq            INTEGER PRIMARY KEY,
  time           TEXT NOT NULL,
  actor          TEXT NOT NULL,
  action         TEXT NOT NULL,
  object         TEXT NOT NULL,
  detail         TEXT NOT NULL,
  source_address TEXT NOT NULL,
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL
);
)sql";

// Indexes for the event filters (REST/CLI listing) and for deleting or
// checking an organisation, which would otherwise scan the child tables.
constexpr std::string_view kReadPathIndexes = R"sql(
CREATE INDEX events_by_modified ON events(modified);
CREATE INDEX events_by_owner ON events(owner_org_id);
CREATE INDEX event_tags_by_tag ON event_tags(tag, event_id);
CREATE INDEX event_recipients_by_org ON event_recipients(org_id);
CREATE INDEX api_keys_by_org ON api_keys(org_id);
CREATE INDEX sightings_by_org ON sightings(org_id) WHERE org_id IS NOT NULL;
)sql";

// Users (admin work): every API key's holder gets a row, created from the
// keys already there (the first key's role), and kept so afterwards by a
// trigger, so a key made by any writer (`accord init`, an older binary's
// code path) still has its user. Disabling a user revokes its keys, done by
// the store, not here.
constexpr std::string_view kUsers = R"sql(
CREATE TABLE users (
  id       INTEGER PRIMARY KEY,
  org_id   INTEGER NOT NULL REFERENCES organisations(id),
  name     TEXT NOT NULL,
  role     TEXT NOT NULL,
  email    TEXT,
  created  TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  UNIQUE (org_id, name)
);
INSERT INTO users(org_id, name, role, created)
  SELECT org_id, user, role, MIN(created) FROM api_keys
  WHERE user IS NOT NULL GROUP BY org_id, user;
CREATE TRIGGER api_keys_have_users AFTER INSERT ON api_keys WHEN NEW.user IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO users(org_id, name, role, created)
    VALUES (NEW.org_id, NEW.user, NEW.role, NEW.created);
END;
CREATE INDEX api_keys_by_user ON api_keys(org_id, user);
)sql";

// TAXII (version 4): the indexes a collection page walks (match[type] of
// one type walks the second in order), and the status resources of POSTed
// envelopes. stix_objects_by_tlp_seq holds the columns
// the visibility prefilter reads (owner, event), so rows a principal may not
// read are skipped inside the index without touching the table.
constexpr std::string_view kTaxii = R"sql(
CREATE INDEX stix_objects_by_tlp_seq ON stix_objects(tlp, seq, owner_org_id, event_id);
CREATE INDEX stix_objects_by_tlp_type_seq ON stix_objects(tlp, type, seq);
CREATE TABLE taxii_status (
  id       TEXT PRIMARY KEY,
  org_id   INTEGER NOT NULL REFERENCES organisations(id),
  created  TEXT NOT NULL,
  resource TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// Import speed (version 5): two stix_objects indexes that every import paid
// for and no read needs. A type filter is either inside a TLP collection
// (stix_objects_by_tlp_type_seq) or an export that reads everything anyway;
// added_after is a binary search over seq, since date_added rises with seq.
constexpr std::string_view kLeanerStixIndexes = R"sql(
DROP INDEX stix_objects_by_type;
DROP INDEX stix_objects_by_date_added;
)sql";

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

// The match snapshot's build reads every indicator link in observable order
// (early_warning.cc): with is_indicator and valid_until in the index, that
// is one scan of the index instead of a table lookup per link, which was
// most of the build time at 1 M indicators. The index keeps its name and
// still serves every lookup by observable.
constexpr std::string_view kCoveringLinksIndex = R"sql(
DROP INDEX links_by_observable;
CREATE INDEX links_by_observable ON links(observable_id, is_indicator, valid_until);
)sql";

// TAXII for every event (version 11). Events that did not come as STIX
// (MISP, CSV, lists, REST, the UI, stealer operations) are published as a
// report and its indicators, the objects `accord export` builds for them,
// stored beside imported objects with derived = 1 (export builds its own, so
// it skips them). stix_stale marks events whose derived objects must be
// brought up to date: every write to an event or its links sets it (never
// on events that came as STIX), and every existing event that did not come
// as STIX starts stale, so an upgraded node publishes them all.
constexpr std::string_view kDerivedStix = R"sql(
ALTER TABLE stix_objects ADD COLUMN derived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN stix_stale INTEGER NOT NULL DEFAULT 1;
UPDATE events SET stix_stale = 0 WHERE substr(COALESCE(source, ''), 1, 5) = 'stix:';
CREATE INDEX events_stix_stale ON events(id) WHERE stix_stale = 1;
)sql";

// Context and warning-listed values as observables (version 12). Derived
// STIX writes a value that is context only, or on a warning list, as a
// cyber-observable object rather than an indicator (exchange/event_stix.h).
// A warning list added later changes how events already published must
// look: the trigger marks every event carrying a value whose mark changed,
// whichever path changed it (warninglist add, an import, the REST API).
// Events already holding such values are redone once.
constexpr std::string_view kContextAsObservables = R"sql(
CREATE TRIGGER observables_warninglist_changed AFTER UPDATE OF warninglist ON observables
WHEN OLD.warninglist IS NOT NEW.warninglist
BEGIN
  UPDATE events SET stix_stale = 1
  WHERE id IN (SELECT event_id FROM links WHERE observable_id = NEW.id)
    AND substr(COALESCE(source, ''), 1, 5) <> 'stix:';
END;
UPDATE events SET stix_stale = 1
WHERE substr(COALESCE(source, ''), 1, 5) <> 'stix:'
  AND id IN (SELECT l.event_id FROM links l JOIN observables o ON o.id = l.observable_id
             WHERE l.is_indicator = 0 OR o.warninglist IS NOT NULL);
)sql";

// Indicators Accord writes changed shape (version 13): indicator_types holds
// only STIX vocabulary terms (the role moved to x_accord_role and labels)
// and every indicator has a description. Every event that did not come as
// STIX is published again, so TAXII serves the new shape.
constexpr std::string_view kRepublishDerivedIndicators = R"sql(
UPDATE events SET stix_stale = 1 WHERE substr(COALESCE(source, ''), 1, 5) <> 'stix:';
)sql";

// Domain objects Accord makes from a name carry version-4 uuids (version
// 14; StableUuidV4 in core/crypto.h), as STIX asks: every event that did not
// come as STIX is published again, which also drops its objects under the
// old ids (RefreshDerivedStix removes what an event no longer makes).
constexpr std::string_view kRepublishWithVersion4Ids = kRepublishDerivedIndicators;

// Where each group of stored STIX objects begins (version 15), so a TAXII
// collection can serve the identity of each organisation whose objects a
// principal reads there, and the TLP marking definition, without a scan
// (server/taxii_shared.cc, docs/TAXII.md "Identities and marking
// definitions"). A group is one (TLP level, owner, event): whoever may read
// one of its objects may read them all (core/policy.h), so the first object
// a principal may read of an organisation at a level is the first object of
// the first group it may read. One row per group and kind:
// `derived` says whether the group's objects are ones Accord built for an
// event (they name its owner's identity) or came as STIX (they name their
// own); an event's objects are all one or all the other.
//  - kind 0: the group's first object still stored (seq, date_added). The
//    import batch adds it with the group's first object (once per group and
//    batch: a trigger per inserted row tripled a 1 M-object import); a
//    trigger moves it to the next object when that one is deleted, and
//    removes an emptied group;
//  - kind 1: groups a node already held when it was upgraded, all placed
//    just after the last object it held and dated at the upgrade, so a
//    client that had already polled past them still receives the
//    identities and markings once, on its next poll.
// The table is small (events x levels), beside a million objects.
constexpr std::string_view kStixAnchors = R"sql(
CREATE TABLE stix_anchors (
  tlp          INTEGER NOT NULL CHECK (tlp BETWEEN 0 AND 4),
  kind         INTEGER NOT NULL CHECK (kind IN (0, 1)),
  owner_org_id INTEGER NOT NULL,
  event_id     INTEGER NOT NULL,
  seq          INTEGER NOT NULL,
  date_added   TEXT NOT NULL,
  derived      INTEGER NOT NULL CHECK (derived IN (0, 1)),
  PRIMARY KEY (tlp, kind, owner_org_id, event_id)
) WITHOUT ROWID;
CREATE INDEX stix_anchors_by_owner ON stix_anchors(tlp, kind, owner_org_id, seq);
CREATE INDEX stix_anchors_by_seq ON stix_anchors(tlp, kind, seq);

INSERT INTO stix_anchors(tlp, kind, owner_org_id, event_id, seq, date_added, derived)
  SELECT tlp, 0, COALESCE(owner_org_id, 0), COALESCE(event_id, 0), MIN(seq), date_added, derived
  FROM stix_objects GROUP BY tlp, COALESCE(owner_org_id, 0), COALESCE(event_id, 0);
INSERT INTO stix_anchors(tlp, kind, owner_org_id, event_id, seq, date_added, derived)
  SELECT tlp, 1, owner_org_id, event_id,
         (SELECT MAX(seq) + 1 FROM stix_objects),
         MAX(strftime('%Y-%m-%dT%H:%M:%f000Z', 'now'),
             (SELECT date_added FROM stix_objects ORDER BY seq DESC LIMIT 1)),
         derived
  FROM stix_anchors WHERE kind = 0;

CREATE TRIGGER stix_objects_anchor_delete AFTER DELETE ON stix_objects
WHEN EXISTS (SELECT 1 FROM stix_anchors WHERE tlp = OLD.tlp AND kind = 0
               AND owner_org_id = COALESCE(OLD.owner_org_id, 0)
               AND event_id = COALESCE(OLD.event_id, 0) AND seq = OLD.seq)
BEGIN
  DELETE FROM stix_anchors WHERE tlp = OLD.tlp AND kind = 0
    AND owner_org_id = COALESCE(OLD.owner_org_id, 0) AND event_id = COALESCE(OLD.event_id, 0);
  INSERT INTO stix_anchors(tlp, kind, owner_org_id, event_id, seq, date_added, derived)
    SELECT s.tlp, 0, COALESCE(s.owner_org_id, 0), COALESCE(s.event_id, 0), s.seq, s.date_added,
           s.derived
    FROM stix_objects s
    WHERE s.event_id = OLD.event_id AND s.tlp = OLD.tlp
      AND COALESCE(s.owner_org_id, 0) = COALESCE(OLD.owner_org_id, 0)
    ORDER BY s.seq LIMIT 1;
  DELETE FROM stix_anchors WHERE tlp = OLD.tlp AND kind = 1
    AND owner_org_id = COALESCE(OLD.owner_org_id, 0) AND event_id = COALESCE(OLD.event_id, 0)
    AND NOT EXISTS (SELECT 1 FROM stix_anchors WHERE tlp = OLD.tlp AND kind = 0
                      AND owner_org_id = COALESCE(OLD.owner_org_id, 0)
                      AND event_id = COALESCE(OLD.event_id, 0));
END;
-- A deleted event's objects that stay lose their event (ON DELETE SET NULL),
-- and so do their groups' anchors: a later event given the same id must not
-- lend them its recipients.
CREATE TRIGGER events_delete_unanchor AFTER DELETE ON events
BEGIN
  UPDATE OR IGNORE stix_anchors SET event_id = 0 WHERE event_id = OLD.id;
  DELETE FROM stix_anchors WHERE event_id = OLD.id;
END;
)sql";

// MISP's grading of an event (version 16): threat_level_id (1 high ..
// 4 undefined) and analysis (0 initial .. 2 completed), in MISP's numbers,
// so a MISP event exported again carries what its author gave it. NULL
// when the source said nothing (STIX, CSV, lists, REST, and every event a
// node held before). Derived STIX does not carry them, so no event is
// marked stale.
constexpr std::string_view kMispGrading = R"sql(
ALTER TABLE events ADD COLUMN threat_level INTEGER CHECK (threat_level BETWEEN 1 AND 4);
ALTER TABLE events ADD COLUMN analysis INTEGER CHECK (analysis BETWEEN 0 AND 2);
)sql";

constexpr Migration kMigrations[] = {
    {1, "initial schema", kInitialSchema},
    {2, "read-path indexes", kReadPathIndexes},
    {3, "users", kUsers},
    {4, "taxii", kTaxii},
    {5, "leaner stix_objects indexes", kLeanerStixIndexes},
    {6, "early warning", kEarlyWarning},
    {7, "24/7 network", kNetwork247},
    {8, "infostealer operations", kStealer},
    {9, "alert acknowledgement", kAlertAcknowledgement},
    {10, "links_by_observable covers the snapshot build", kCoveringLinksIndex},
    {11, "derived STIX objects for events that did not come as STIX", kDerivedStix},
    {12, "context and warning-listed values published as observables", kContextAsObservables},
    {13, "derived indicators with vocabulary indicator_types and a description",
     kRepublishDerivedIndicators},
    {14, "derived domain objects with version-4 uuids", kRepublishWithVersion4Ids},
    {15, "where each group of STIX objects begins, for TAXII identities and markings", kStixAnchors},
    {16, "MISP threat level and analysis of events", kMispGrading},
};

}  // namespace

std::span<const Migration> AllMigrations() { return kMigrations; }

int64_t LatestSchemaVersion() { return kMigrations[std::size(kMigrations) - 1].version; }

Result<int64_t> AppliedSchemaVersion(Connection& connection) {
  RETURN_IF_ERROR(connection.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
      "create schema_migrations"));
  return connection.QueryInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                             "read schema version");
}

Status ApplyMigrations(Connection& connection, int64_t up_to_version) {
  ASSIGN_OR_RETURN(int64_t applied, AppliedSchemaVersion(connection));
  if (applied > LatestSchemaVersion()) {
    return Status::FailedPrecondition(
        connection.path() + ": database schema version " + std::to_string(applied) +
        " is newer than this binary knows (" + std::to_string(LatestSchemaVersion()) +
        "); upgrade Accord");
  }
  for (const Migration& migration : kMigrations) {
    if (migration.version <= applied || migration.version > up_to_version) continue;
    std::string operation = "migration " + std::to_string(migration.version) + " (" +
                            std::string(migration.name) + ")";
    ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(connection, operation));
    // Re-read inside the write lock: another process may have migrated the
    // same database while this one waited.
    ASSIGN_OR_RETURN(int64_t now_applied, AppliedSchemaVersion(connection));
    if (now_applied >= migration.version) continue;
    RETURN_IF_ERROR(connection.Exec(migration.sql, operation));
    ASSIGN_OR_RETURN(auto record,
                     connection.Prepare("INSERT INTO schema_migrations(version, name, applied_at)"
                                        " VALUES (?, ?, ?)",
                                        "record " + operation));
    record->Bind(1, migration.version);
    record->Bind(2, migration.name);
    record->Bind(3, FormatTimestamp(SystemClock().Now()));
    RETURN_IF_ERROR(record->Run());
    RETURN_IF_ERROR(transaction->Commit());
  }
  return Status::Ok();
}

}  // namespace accord::sqlite
