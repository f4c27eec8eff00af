// Escaping text for XML element content. Pure.
#pragma once

#include <string>
#include <string_view>

namespace dialtone::rest_gateway {

// &, <, > and quotes escaped; control characters other than tab/CR/LF dropped (not allowed in
// XML 1.0).
std::string XmlText(std::string_view text);

}  // namespace dialtone::rest_gateway
