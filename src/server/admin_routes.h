// REST administration under /api/v1 (admins only): organisations, users,
// API keys and the audit log. Internal to src/server.
//
// Who may do what:
//   - every route needs an admin key (403 otherwise), but for the
//     directory of organisations (GET /organisations[/{id}]), which every
//     member's key reads;
//   - an admin manages its own organisation's users and keys;
//   - only an admin of the node's operator organisation (store meta
//     "operator_org_id") creates organisations, manages other organisations'
//     users and keys, and reads or verifies the audit log.
// Every write is audited (actor = the key, source = the client address) in
// the same transaction as the change. Errors are JSON bodies naming the field:
// 400 bad input, 403 not allowed, 404 unknown id, 409 duplicate or disabled.
#pragma once

#include <httplib.h>

#include "server/context.h"

namespace accord::server {

void RegisterAdminRoutes(httplib::Server& http, ServerState& state);

}  // namespace accord::server
