// Feeds named by URL: `accord import https://...` downloads the body into a
// file and imports that file, so a URL is read exactly as a file is (format
// by name and content, batches, progress) and a daily cron line can pull
// a published feed. Internal to the CLI.
#pragma once

#include <string>

#include "core/status.h"

namespace accord::cli {

bool IsHttpUrl(const std::string& argument);

// The file name a feed URL stands for: its last path segment ("csv.zip",
// "full.csv"), else its host. It names the feed's event, as a file's name
// does, so importing the same URL again grows the same event.
std::string FeedFileName(const std::string& url);

// Downloads `url` into `path` as the body arrives (never held whole),
// following redirects. Errors name the URL: not http(s), connection
// failures, any answer but 200, a write failure.
Status FetchToFile(const std::string& url, const std::string& path, int timeout_seconds);

}  // namespace accord::cli
