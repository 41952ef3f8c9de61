// 24/7 network over HTTP: /api/v1/pocs and /api/v1/requests (being written).
#include "server/rest_common.h"

namespace accord::server::rest {

void RegisterRequestRoutes(httplib::Server&, ServerState&) {}

}  // namespace accord::server::rest
