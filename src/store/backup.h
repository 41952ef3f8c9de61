// A copy of a node's database taken while the node runs, with SQLite's
// online backup: one consistent snapshot (a write in progress is either in
// it whole or not at all), written beside the target, checked, flushed to
// disk and only then renamed to the target, so a failed or interrupted
// backup never leaves a file that looks like one. The copy is its owner's
// alone (0600): it holds TLP:RED data, key hashes and victims' data.
// Restore: stop the server and put the copy in place as DIR/accord.db.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace accord {

// Copies the node in `data_dir` to `target` (a file that must not exist);
// returns the copy's size in bytes. NotFound when `data_dir` holds no node.
Result<int64_t> BackupNode(const std::string& data_dir, const std::string& target);

}  // namespace accord
