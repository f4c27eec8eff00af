// Sub-command arguments: positionals and --name value / --name=value options. Pure.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace dialtone::ctl {

struct CliArgs {
  std::vector<std::string> positional;
  std::multimap<std::string, std::string> options;  // repeated options keep every value

  std::optional<std::string> Get(const std::string& name) const;
  std::string GetOr(const std::string& name, const std::string& fallback) const;
  std::vector<std::string> GetAll(const std::string& name) const;
  bool Has(const std::string& name) const { return options.count(name) > 0; }
};

// `flags` lists options that take no value (e.g. "json").
absl::StatusOr<CliArgs> ParseCliArgs(const std::vector<std::string>& args,
                                     const std::vector<std::string>& flags = {});

}  // namespace dialtone::ctl
