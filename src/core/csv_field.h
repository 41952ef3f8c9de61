// One CSV cell as Accord writes it (RFC 4180), for every CSV it writes:
// exports, stealer packages. Quoted when it holds a comma, a quote or a line
// break. A cell that a spreadsheet would run as a formula (one starting
// with '=', '+', '-', '@', a tab or a carriage return: OWASP's CSV
// injection) gets a leading apostrophe: titles, comments and stealer logs
// come from other organisations and from criminals, and these files are
// opened in spreadsheets by police officers and service providers.
#pragma once

#include <string>
#include <string_view>

namespace accord {

std::string CsvField(std::string_view text);

}  // namespace accord
