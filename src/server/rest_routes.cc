// REST API routes under /api/v1 (docs/openapi.json describes every one).
// Each group lives in its own rest_*.cc; this file wires them up.
#include "server/rest_common.h"

namespace accord::server {

void RegisterRestRoutes(httplib::Server& http, ServerState& state) {
  http.Get("/api/v1/whoami", Authenticated(state, ErrorStyle::kRest,
                                           [&state](const httplib::Request&, httplib::Response& res,
                                                    RequestContext& ctx) {
                                             nlohmann::json body = {{"key_id", ctx.key_id},
                                                          {"organisation_id", ctx.principal.org_id},
                                                          {"role", RoleName(ctx.principal.role)}};
                                             // The caller's own organisation's name, for the UI.
                                             auto store = state.stores.ForThisThread();
                                             if (store.ok()) {
                                               auto org = (*store)->FindOrganisationById(ctx.principal.org_id);
                                               if (org.ok() && *org) body["organisation"] = (*org)->name;
                                             }
                                             rest::SendJson(res, 200, body);
                                           }));
  rest::RegisterAllowedMethods(http, "/api/v1/whoami", {"GET"});
  rest::RegisterEventRoutes(http, state);
  rest::RegisterEventObjectRoutes(http, state);
  rest::RegisterEventIndicatorRoutes(http, state);
  rest::RegisterIndicatorRoutes(http, state);
  rest::RegisterImportRoutes(http, state);
  rest::RegisterExportRoutes(http, state);
  rest::RegisterRequestRoutes(http, state);
  rest::RegisterStealerRoutes(http, state);
  rest::RegisterStatsRoutes(http, state);
}

}  // namespace accord::server
