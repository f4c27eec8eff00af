// Requests to a customer's application: their parameters. (Their wire form, signature and
// transport errors are libs/http.) Pure.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "calls/twiml_names.h"

namespace dialtone::call_router {

using AppParams = std::vector<std::pair<std::string, std::string>>;

// Twilio's code for an application that answered with a status other than 2xx.
inline constexpr int kErrorHttpRetrieval = 11200;

}  // namespace dialtone::call_router
