// Infostealer operations and the exposure range API over HTTP (being written).
#include "server/rest_common.h"

namespace accord::server::rest {

void RegisterStealerRoutes(httplib::Server&, ServerState&) {}

}  // namespace accord::server::rest
