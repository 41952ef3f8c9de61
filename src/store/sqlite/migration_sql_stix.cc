// The SQL of the migrations that rewrite stored STIX objects (29, 34, 37),
// following the conventions at the top of migration_sql.cc. migrations.cc
// lists them in version order with the others. A migration is never edited
// once released (migrations.h).
#include <string_view>

#include "store/sqlite/migration_sql.h"

namespace accord::sqlite {

// The STIX 2.0 upgrade now names a TLP 1.0 marking definition as 2.1 does
// ("TLP:GREEN"), which the 2.1 schema requires of a TLP marking; a marking
// definition has no modified, so the one stored before is never replaced
// by reading it again.
constexpr std::string_view kTlp1MarkingNames = R"sql(
UPDATE stix_objects
   SET json = json_insert(json, '$.name', 'TLP:' || upper(json_extract(json, '$.definition.tlp')))
 WHERE type = 'marking-definition'
   AND json_extract(json, '$.definition_type') = 'tlp'
   AND json_type(json, '$.name') IS NULL
   AND json_type(json, '$.definition.tlp') = 'text';
)sql";

// A STIX object's version key (modified, else created) in the reader's one
// spelling (CanonicalStixTimestamp): "...:00Z" and "...:00.000Z" were two
// keys, so one version sent in both spellings was stored twice. Only UTC
// spellings; a key whose other spelling is stored already stays as it is
// (OR IGNORE), the one copy that was.
constexpr std::string_view kStixVersionsInOneSpelling = R"sql(
UPDATE OR IGNORE stix_objects SET modified =
    CASE WHEN length(modified) = 20 THEN substr(modified, 1, 19) || '.000Z'
    ELSE substr(modified, 1, 20) ||
         CASE WHEN length(rtrim(substr(modified, 21, length(modified) - 21), '0')) < 3
              THEN substr(rtrim(substr(modified, 21, length(modified) - 21), '0') || '000', 1, 3)
              ELSE rtrim(substr(modified, 21, length(modified) - 21), '0') END || 'Z'
    END
  WHERE (modified GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z'
         OR (modified GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9]*Z'
             AND substr(modified, 21, length(modified) - 21) NOT GLOB '*[^0-9]*'))
    AND NOT (length(modified) = 24 AND substr(modified, 20, 1) = '.')
    AND NOT (length(modified) > 24 AND substr(modified, length(modified) - 1, 1) <> '0');
)sql";

// OASIS's TLP marking definitions: the TLP 2.0 ones are the node's own
// constants, never stored from outside since this migration
// (exchange/node_built_objects.h), so the copies imports stored before
// go, a forged one (another level under OASIS's id) with them; a stored
// TLP 1.0 definition that says another level than its id's goes too.
constexpr std::string_view kNoStoredTlpConstants = R"sql(
DELETE FROM stix_objects
 WHERE type = 'marking-definition'
   AND id IN ('marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
              'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
              'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
              'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
              'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1');
DELETE FROM stix_objects
 WHERE type = 'marking-definition'
   AND ((id = 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9'
         AND lower(coalesce(json_extract(json, '$.definition.tlp'), 'white')) NOT IN ('white', 'clear'))
     OR (id = 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da'
         AND lower(coalesce(json_extract(json, '$.definition.tlp'), 'green')) <> 'green')
     OR (id = 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82'
         AND lower(coalesce(json_extract(json, '$.definition.tlp'), 'amber')) <> 'amber')
     OR (id = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed'
         AND lower(coalesce(json_extract(json, '$.definition.tlp'), 'red')) <> 'red'));
)sql";

}  // namespace accord::sqlite
