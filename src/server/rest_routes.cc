// REST API routes under /api/v1 (being written).
#include "server/context.h"

namespace accord::server {

void RegisterRestRoutes(httplib::Server& http, ServerState& state) {
  http.Get("/api/v1/whoami", Authenticated(state, ErrorStyle::kRest,
                                           [](const httplib::Request&, httplib::Response& res,
                                              RequestContext& ctx) {
                                             WriteJson(res, 200,
                                                       {{"key_id", ctx.key_id},
                                                        {"organisation_id", ctx.principal.org_id},
                                                        {"role", RoleName(ctx.principal.role)}});
                                           }));
}

}  // namespace accord::server
