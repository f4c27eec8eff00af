// Log lines are valid JSON objects with escaped values, so log shippers can parse them.
#include <catch2/catch.hpp>

#include "dialtone/log/log.h"

using dialtone::log::FormatLine;
using dialtone::log::Level;

TEST_CASE("A log line carries time, level, service, message and typed fields") {
  std::string line = FormatLine("2026-11-25T19:21:07.000Z", Level::kWarn, "call-router", "retrying",
                                {{"attempt", 3}, {"ok", false}, {"url", "http://x"}});
  CHECK(line ==
        "{\"ts\":\"2026-11-25T19:21:07.000Z\",\"level\":\"warn\",\"service\":\"call-router\","
        "\"msg\":\"retrying\",\"attempt\":3,\"ok\":false,\"url\":\"http://x\"}");
}

TEST_CASE("Quotes, backslashes and control characters from peers are escaped") {
  std::string line =
      FormatLine("t", Level::kInfo, "s", "bad \"input\"\n", {{"raw", std::string("a\\b\x01")}});
  CHECK(line.find("\"msg\":\"bad \\\"input\\\"\\n\"") != std::string::npos);
  CHECK(line.find("\"raw\":\"a\\\\b\\u0001\"") != std::string::npos);
}
