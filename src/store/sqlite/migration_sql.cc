// The SQL of the exchange core's migrations (1-5, 10-15): node metadata,
// organisations, keys and users, events, observables and links, STIX objects
// and what TAXII reads. The other jobs' tables (early warning, the 24/7
// network, infostealer operations) are in migration_sql_jobs.cc;
// migrations.cc lists both in version order and applies them. A migration is
// never edited once released (migrations.h).
#include <string_view>

#include "store/sqlite/migration_sql.h"

namespace accord::sqlite {

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

// A MISP event's attributes that carry no observable (version 17): links,
// texts, vulnerabilities, YARA rules, as a JSON array, given back by the MISP
// export. NULL for events from elsewhere and every event held before.
constexpr std::string_view kMispOtherAttributes = R"sql(
ALTER TABLE events ADD COLUMN misp_other_attributes TEXT;
)sql";

// A MISP event's objects, whole (version 18): a JSON array given back by the
// MISP export, so file, domain-ip and email objects keep their structure
// and the attributes in them that carry no observable. NULL as above.
constexpr std::string_view kMispObjects = R"sql(
ALTER TABLE events ADD COLUMN misp_objects TEXT;
)sql";

// Where a STIX object that belongs to no event came from (version 19): the
// import's source ("stix:taxii:<peer>/<collection>" for a federation pull),
// so that a push does not send a peer's identities, malware and notes back
// to it. NULL under an event, whose source says it, and for every object
// stored before.
constexpr std::string_view kStixObjectSources = R"sql(
ALTER TABLE stix_objects ADD COLUMN source TEXT;
)sql";

// The organisation that reads what an organisation standing for a peer node
// brings at TLP:AMBER and TLP:RED (version 20): a node's push lands owned by
// the stand-in whose key it used, and without a recipient no one else on
// the receiving node could read it. NULL for every other organisation.
constexpr std::string_view kOrganisationSharesWith = R"sql(
ALTER TABLE organisations ADD COLUMN shares_with_org_id INTEGER REFERENCES organisations(id);
)sql";

// What names a sighting at its source (version 21): a STIX sighting's id or
// a MISP sighting's uuid, so that importing the same file again does not
// count its sightings twice. NULL for sightings stored before, and for
// those (telemetry, the REST API) that no source names.
constexpr std::string_view kSightingOrigins = R"sql(
ALTER TABLE sightings ADD COLUMN origin_id TEXT;
CREATE UNIQUE INDEX sightings_by_origin ON sightings(origin_id, observable_id, org_id) WHERE origin_id IS NOT NULL;
)sql";

// An emptied event that is deleted leaves its STIX objects outside any event
// (version 22). Their groups (tlp, owner, event 0) must begin at the first
// of them: version 15's trigger kept the outside group's anchor when one
// existed, even a later one, so a TAXII client could receive an object
// before the identity and markings placed at its group's start (a STIX
// bundle's indicators, in a group event that its reports emptied, and its
// relationships outside any event). The trigger now keeps the earlier of
// the two, and the outside groups are anchored again from their objects.
constexpr std::string_view kAnchorsOfDeletedEvents = R"sql(
DROP TRIGGER events_delete_unanchor;
CREATE TRIGGER events_delete_unanchor AFTER DELETE ON events
BEGIN
  UPDATE stix_anchors SET
    date_added = (SELECT g.date_added FROM stix_anchors g WHERE g.event_id = OLD.id AND g.tlp = stix_anchors.tlp
                  AND g.kind = stix_anchors.kind AND g.owner_org_id = stix_anchors.owner_org_id),
    derived = (SELECT g.derived FROM stix_anchors g WHERE g.event_id = OLD.id AND g.tlp = stix_anchors.tlp
               AND g.kind = stix_anchors.kind AND g.owner_org_id = stix_anchors.owner_org_id),
    seq = (SELECT g.seq FROM stix_anchors g WHERE g.event_id = OLD.id AND g.tlp = stix_anchors.tlp
           AND g.kind = stix_anchors.kind AND g.owner_org_id = stix_anchors.owner_org_id)
  WHERE event_id = 0 AND seq > (SELECT g.seq FROM stix_anchors g WHERE g.event_id = OLD.id
                                AND g.tlp = stix_anchors.tlp AND g.kind = stix_anchors.kind
                                AND g.owner_org_id = stix_anchors.owner_org_id);
  UPDATE OR IGNORE stix_anchors SET event_id = 0 WHERE event_id = OLD.id;
  DELETE FROM stix_anchors WHERE event_id = OLD.id;
END;
DELETE FROM stix_anchors WHERE kind = 0 AND event_id = 0;
INSERT INTO stix_anchors(tlp, kind, owner_org_id, event_id, seq, date_added, derived)
  SELECT tlp, 0, COALESCE(owner_org_id, 0), 0, MIN(seq), date_added, derived
  FROM stix_objects WHERE event_id IS NULL GROUP BY tlp, COALESCE(owner_org_id, 0);
)sql";

// What a MISP export needs to give a MISP event back as it came (version
// 24): the type each attribute came as ("ip-src", "hostname"; NULL for
// values from elsewhere, exported by their value type) and the event's
// creator organisation (Orgc, compact JSON). NULL for everything held
// before: those export as they did.
constexpr std::string_view kMispTypesAndCreators = R"sql(
ALTER TABLE links ADD COLUMN misp_type TEXT;
ALTER TABLE events ADD COLUMN misp_orgc TEXT;
)sql";

// The trigger that moves a group's anchor to its next object when the first
// is deleted (version 25) looked for that object with `event_id = OLD.event_id`,
// never true for an object outside any event (NULL): deleting the first of
// such a group dropped its anchor although objects remained, and a TAXII
// client would no longer receive the group's identities and markings first.
// No code path deletes objects outside an event today; the trigger is made
// right before one does. The outside case is a second statement, not `IS`,
// so that the event case keeps its index (stix_objects_by_event is partial,
// and `IS` does not imply NOT NULL).
constexpr std::string_view kAnchorsOutsideEventsOnDelete = R"sql(
DROP TRIGGER stix_objects_anchor_delete;
CREATE TRIGGER stix_objects_anchor_delete AFTER DELETE ON stix_objects
WHEN EXISTS (SELECT 1 FROM stix_anchors WHERE tlp = OLD.tlp AND kind = 0
               AND owner_org_id = COALESCE(OLD.owner_org_id, 0)
               AND event_id = COALESCE(OLD.event_id, 0) AND seq = OLD.seq)
BEGIN
  DELETE FROM stix_anchors WHERE tlp = OLD.tlp AND kind = 0
    AND owner_org_id = COALESCE(OLD.owner_org_id, 0) AND event_id = COALESCE(OLD.event_id, 0);
  INSERT INTO stix_anchors(tlp, kind, owner_org_id, event_id, seq, date_added, derived)
    SELECT s.tlp, 0, COALESCE(s.owner_org_id, 0), s.event_id, s.seq, s.date_added, s.derived
    FROM stix_objects s
    WHERE s.event_id = OLD.event_id AND s.tlp = OLD.tlp
      AND COALESCE(s.owner_org_id, 0) = COALESCE(OLD.owner_org_id, 0)
    ORDER BY s.seq LIMIT 1;
  INSERT INTO stix_anchors(tlp, kind, owner_org_id, event_id, seq, date_added, derived)
    SELECT s.tlp, 0, COALESCE(s.owner_org_id, 0), 0, s.seq, s.date_added, s.derived
    FROM stix_objects s
    WHERE OLD.event_id IS NULL AND s.event_id IS NULL AND s.tlp = OLD.tlp
      AND COALESCE(s.owner_org_id, 0) = COALESCE(OLD.owner_org_id, 0)
    ORDER BY s.seq LIMIT 1;
  DELETE FROM stix_anchors WHERE tlp = OLD.tlp AND kind = 1
    AND owner_org_id = COALESCE(OLD.owner_org_id, 0) AND event_id = COALESCE(OLD.event_id, 0)
    AND NOT EXISTS (SELECT 1 FROM stix_anchors WHERE tlp = OLD.tlp AND kind = 0
                      AND owner_org_id = COALESCE(OLD.owner_org_id, 0)
                      AND event_id = COALESCE(OLD.event_id, 0));
END;
)sql";

// STIX imports kept an indicator's valid_until and a sighting's first and
// last seen as the file spelled them (version 26); they are now held as
// every other import holds them, "2024-06-01T00:00:00.000Z", since the
// store compares instants as text ("...00Z" sorts after "...00.000Z", an
// offset anywhere). Rows already held are brought to that spelling; the
// few SQLite cannot read (past year 9999) keep theirs.
constexpr std::string_view kOneSpellingForInstants = R"sql(
UPDATE links SET valid_until = strftime('%Y-%m-%dT%H:%M:%fZ', valid_until)
  WHERE valid_until IS NOT NULL AND valid_until <> ''
    AND length(strftime('%Y-%m-%dT%H:%M:%fZ', valid_until)) = 24
    AND strftime('%Y-%m-%dT%H:%M:%fZ', valid_until) <> valid_until;
UPDATE sightings SET first_seen = strftime('%Y-%m-%dT%H:%M:%fZ', first_seen)
  WHERE first_seen IS NOT NULL AND length(strftime('%Y-%m-%dT%H:%M:%fZ', first_seen)) = 24
    AND strftime('%Y-%m-%dT%H:%M:%fZ', first_seen) <> first_seen;
UPDATE sightings SET last_seen = strftime('%Y-%m-%dT%H:%M:%fZ', last_seen)
  WHERE last_seen IS NOT NULL AND length(strftime('%Y-%m-%dT%H:%M:%fZ', last_seen)) = 24
    AND strftime('%Y-%m-%dT%H:%M:%fZ', last_seen) <> last_seen;
)sql";

// STIX imports before this one kept a link's first and last seen as the file
// spelled them; they merge by the earlier and later of two, compared as text.
constexpr std::string_view kOneSpellingForLinkTimes = R"sql(
UPDATE links SET first_seen = strftime('%Y-%m-%dT%H:%M:%fZ', first_seen)
  WHERE first_seen IS NOT NULL AND length(strftime('%Y-%m-%dT%H:%M:%fZ', first_seen)) = 24
    AND strftime('%Y-%m-%dT%H:%M:%fZ', first_seen) <> first_seen;
UPDATE links SET last_seen = strftime('%Y-%m-%dT%H:%M:%fZ', last_seen)
  WHERE last_seen IS NOT NULL AND length(strftime('%Y-%m-%dT%H:%M:%fZ', last_seen)) = 24
    AND strftime('%Y-%m-%dT%H:%M:%fZ', last_seen) <> last_seen;
)sql";

// The composite MISP attribute ("domain|ip", "filename|sha256",
// "ip-dst|port") a link's value was a part of: its type, its value as MISP
// wrote it and the id one of its parts carries (version 28), so that a MISP
// export gives the attribute back whole instead of its parts. NULL for
// every other link, and for links stored before (their export stays split).
constexpr std::string_view kMispComposites = R"sql(
ALTER TABLE links ADD COLUMN misp_composite_type TEXT;
ALTER TABLE links ADD COLUMN misp_composite_value TEXT;
ALTER TABLE links ADD COLUMN misp_composite_id TEXT;
)sql";

// An event's revision (version 35): every write to the event or its links
// adds one, so an edit's If-Match is checked against it (and GET's ETag
// made from it) without reading the event's links, which for a feed event
// are millions.
constexpr std::string_view kEventRevisions = R"sql(
ALTER TABLE events ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
)sql";

// The malware family a feed names for one value (IndicatorContext::family).
// Few links have one: the partial index lets a matcher ask whether any
// does, and which a hit value has, without a scan of every link.
constexpr std::string_view kLinkFamilies = R"sql(
ALTER TABLE links ADD COLUMN family TEXT;
CREATE INDEX links_with_family ON links(observable_id) WHERE family IS NOT NULL;
)sql";

}  // namespace accord::sqlite
