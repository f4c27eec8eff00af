// ConfigLoader: flags first, then the environment, then the defaults; every error reported.
#include "dialtone/config/config_loader.h"

#include <unistd.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

extern char** environ;

namespace dialtone::config {

Environment ProcessEnvironment() {
  Environment env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    absl::string_view entry(*e);
    auto eq = entry.find('=');
    if (eq == absl::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

ConfigLoader::ConfigLoader(std::string program) : program_(std::move(program)) {}

std::string ConfigLoader::EnvName(absl::string_view option) {
  std::string name = absl::StrCat("DIALTONE_", option);
  for (char& c : name) c = c == '-' ? '_' : absl::ascii_toupper(static_cast<unsigned char>(c));
  return name;
}

void ConfigLoader::AddString(std::string name, std::string* out, std::string help, Check check) {
  options_.push_back({name, std::move(help), *out,
                      [out, check = std::move(check)](absl::string_view v) -> std::string {
                        if (check) {
                          if (std::string err = check(v); !err.empty()) return err;
                        }
                        *out = std::string(v);
                        return {};
                      }});
}

void ConfigLoader::AddInt(std::string name, int* out, int min, int max, std::string help) {
  options_.push_back({name, std::move(help), std::to_string(*out),
                      [out, min, max](absl::string_view v) -> std::string {
                        int parsed = 0;
                        if (!absl::SimpleAtoi(v, &parsed)) return "must be an integer";
                        if (parsed < min || parsed > max) {
                          return absl::StrCat("must be between ", min, " and ", max);
                        }
                        *out = parsed;
                        return {};
                      }});
}

void ConfigLoader::AddBool(std::string name, bool* out, std::string help) {
  Option opt{name, std::move(help), *out ? "true" : "false",
             [out](absl::string_view v) -> std::string {
               std::string lower = absl::AsciiStrToLower(v);
               if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") {
                 *out = true;
               } else if (lower == "false" || lower == "0" || lower == "no" || lower == "off") {
                 *out = false;
               } else {
                 return "must be true or false";
               }
               return {};
             }};
  opt.is_bool = true;
  options_.push_back(std::move(opt));
}

void ConfigLoader::AddDuration(std::string name, absl::Duration* out, absl::Duration min,
                               std::string help) {
  options_.push_back({name, std::move(help), absl::FormatDuration(*out),
                      [out, min](absl::string_view v) -> std::string {
                        absl::Duration d;
                        double seconds = 0;
                        if (absl::SimpleAtod(v, &seconds)) {
                          d = absl::Seconds(seconds);
                        } else if (!absl::ParseDuration(v, &d)) {
                          return "must be a duration such as 500ms, 5s or 2m";
                        }
                        if (d < min) {
                          return absl::StrCat("must be at least ", absl::FormatDuration(min));
                        }
                        *out = d;
                        return {};
                      }});
}

void ConfigLoader::AddRule(std::function<std::string()> rule) { rules_.push_back(std::move(rule)); }

ConfigLoader::Option* ConfigLoader::Find(absl::string_view name) {
  std::string normal(name);
  std::replace(normal.begin(), normal.end(), '-', '_');
  for (Option& o : options_) {
    if (o.name == normal) return &o;
  }
  return nullptr;
}

absl::Status ConfigLoader::Load(int argc, const char* const* argv, const Environment& env) {
  std::vector<std::string> problems;
  std::map<std::string, std::string> from_flags;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg(argv[i]);
    if (arg == "--help" || arg == "-h") {
      help_requested_ = true;
      continue;
    }
    if (!absl::ConsumePrefix(&arg, "--")) {
      problems.push_back(absl::StrCat("unexpected argument \"", arg, "\""));
      continue;
    }
    absl::string_view name = arg;
    std::optional<absl::string_view> value;
    if (auto eq = arg.find('='); eq != absl::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    Option* opt = Find(name);
    if (opt == nullptr) {
      problems.push_back(absl::StrCat("unknown flag --", name));
      continue;
    }
    if (!value) {
      if (opt->is_bool) {
        value = "true";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        problems.push_back(absl::StrCat("flag --", name, " needs a value"));
        continue;
      }
    }
    from_flags[opt->name] = std::string(*value);
  }
  for (Option& opt : options_) {
    std::string env_name = EnvName(opt.name);
    std::string source;
    std::string value;
    if (auto f = from_flags.find(opt.name); f != from_flags.end()) {
      source = absl::StrCat("--", opt.name);
      value = f->second;
    } else if (auto e = env.find(env_name); e != env.end()) {
      source = env_name;
      value = e->second;
    } else {
      continue;  // default stays
    }
    if (std::string err = opt.set(value); !err.empty()) {
      problems.push_back(absl::StrCat(source, "=\"", value, "\": ", opt.name, " ", err));
    }
  }
  // Rules read the options' final values: only worth running when every value parsed.
  if (problems.empty()) {
    for (const auto& rule : rules_) {
      if (std::string err = rule(); !err.empty()) problems.push_back(std::move(err));
    }
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(program_, ": invalid configuration: ", absl::StrJoin(problems, "; ")));
}

std::string ConfigLoader::Usage() const {
  std::string out = absl::StrCat("Usage: ", program_, " [--option=value ...]\n\nOptions:\n");
  for (const Option& o : options_) {
    absl::StrAppend(&out, "  --", o.name, " (", EnvName(o.name), ")\n      ", o.help,
                    " [default: \"", o.default_text, "\"]\n");
  }
  return out;
}

Check CheckHostPort() {
  return [](absl::string_view v) -> std::string {
    auto colon = v.rfind(':');
    if (colon == absl::string_view::npos || colon == 0) return "must be host:port";
    absl::string_view host = v.substr(0, colon);
    if (host.front() == '[' && host.back() != ']') return "has an unterminated IPv6 address";
    int port = 0;
    if (!absl::SimpleAtoi(v.substr(colon + 1), &port) || port < 0 || port > 65535) {
      return "must end with a port between 0 and 65535";
    }
    return {};
  };
}

Check CheckUrl(std::vector<std::string> schemes) {
  return [schemes = std::move(schemes)](absl::string_view v) -> std::string {
    auto sep = v.find("://");
    if (sep == absl::string_view::npos || sep == 0) return "must be a URL (scheme://host...)";
    std::string scheme = absl::AsciiStrToLower(v.substr(0, sep));
    if (std::find(schemes.begin(), schemes.end(), scheme) == schemes.end()) {
      return absl::StrCat("must use one of the schemes ", absl::StrJoin(schemes, ", "));
    }
    absl::string_view rest = v.substr(sep + 3);
    absl::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (auto at = authority.rfind('@'); at != absl::string_view::npos) {
      authority = authority.substr(at + 1);
    }
    if (authority.empty() || authority.front() == ':') return "must name a host";
    return {};
  };
}

Check CheckOneOf(std::vector<std::string> values) {
  return [values = std::move(values)](absl::string_view v) -> std::string {
    if (std::find(values.begin(), values.end(), v) != values.end()) return {};
    return absl::StrCat("must be one of ", absl::StrJoin(values, ", "));
  };
}

Check CheckNotEmpty() {
  return [](absl::string_view v) -> std::string { return v.empty() ? "must not be empty" : ""; };
}

}  // namespace dialtone::config
