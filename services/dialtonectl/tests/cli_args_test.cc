// dialtonectl reads options the way its usage text says.
#include <catch2/catch.hpp>

#include "cli_args.h"

using dialtone::ctl::ParseCliArgs;

TEST_CASE("Options take the next word or =value and repeats are all kept") {
  auto a = ParseCliArgs({"get", "AC1", "--addr", "h:1", "--addr=h:2", "--json", "-"}, {"json"});
  REQUIRE(a.ok());
  CHECK(a->positional == std::vector<std::string>{"get", "AC1", "-"});
  CHECK(a->GetAll("addr") == std::vector<std::string>{"h:1", "h:2"});
  CHECK(a->Has("json"));
  CHECK(a->GetOr("missing", "x") == "x");
}

TEST_CASE("An option without its value is an error") { CHECK_FALSE(ParseCliArgs({"--addr"}).ok()); }
