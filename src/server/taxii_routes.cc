// TAXII 2.1 routes under /taxii2/ (being written).
#include "server/context.h"

namespace accord::server {

void RegisterTaxiiRoutes(httplib::Server&, ServerState&) {}

}  // namespace accord::server
