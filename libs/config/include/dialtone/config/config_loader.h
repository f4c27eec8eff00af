// Loads a service's configuration from command-line flags and DIALTONE_* environment variables.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace dialtone::config {

// Name -> value, e.g. {"DIALTONE_GRPC_ADDR", "0.0.0.0:50051"}.
using Environment = std::map<std::string, std::string, std::less<>>;

// The process environment (reads `environ` once).
Environment ProcessEnvironment();

// A check on a raw value; returns an error message, or empty when the value is fine.
using Check = std::function<std::string(absl::string_view)>;

// Binds options to the fields of a service's config struct, then fills them in one Load().
// An option "grpc_addr" is set by `--grpc_addr=V`, `--grpc-addr V` or DIALTONE_GRPC_ADDR=V
// (the flag wins). Every bad value is reported, each naming its flag and variable, so a
// service can refuse to start with one clear message. Single-threaded, used at start-up.
//
//   ConfigLoader loader("call-router");
//   loader.AddString("grpc_addr", &cfg.grpc_addr, "gRPC listen address", CheckHostPort());
//   loader.AddInt("sip_port", &cfg.sip_port, 1, 65535, "SIP port");
//   if (auto s = loader.Load(argc, argv, ProcessEnvironment()); !s.ok()) { ... }
class ConfigLoader {
 public:
  explicit ConfigLoader(std::string program);

  // The field keeps its current value as the default.
  void AddString(std::string name, std::string* out, std::string help, Check check = {});
  void AddInt(std::string name, int* out, int min, int max, std::string help);
  void AddBool(std::string name, bool* out, std::string help);
  // Accepts "500ms", "5s", "2m" (absl duration syntax) and plain seconds ("5").
  void AddDuration(std::string name, absl::Duration* out, absl::Duration min, std::string help);
  // A check across options (or of what a value names, e.g. a file), run by Load() after every
  // option is set; a non-empty result is reported like a bad value.
  void AddRule(std::function<std::string()> rule);

  // InvalidArgument listing every problem; unknown flags are problems too.
  absl::Status Load(int argc, const char* const* argv, const Environment& env);
  // True when --help was given; the caller prints Usage() and exits 0.
  bool help_requested() const { return help_requested_; }
  std::string Usage() const;

  // "grpc_addr" -> "DIALTONE_GRPC_ADDR".
  static std::string EnvName(absl::string_view option);

 private:
  struct Option {
    std::string name;
    std::string help;
    std::string default_text;
    // Parses and stores the value; returns an error message or empty.
    std::function<std::string(absl::string_view)> set;
    bool is_bool = false;
  };
  Option* Find(absl::string_view name);

  std::string program_;
  std::vector<Option> options_;
  std::vector<std::function<std::string()>> rules_;
  bool help_requested_ = false;
};

// Reusable checks.
Check CheckHostPort();                             // "host:port", "[::1]:port", port 0..65535
Check CheckUrl(std::vector<std::string> schemes);  // scheme://host[:port][/...]
Check CheckOneOf(std::vector<std::string> values);
Check CheckNotEmpty();

}  // namespace dialtone::config
