// `dialtonectl webhook sign|validate`: X-Twilio-Signature for debugging customers' apps. No I/O
// beyond stdout/stderr: the token and the request come from the command line.
#include <iostream>

#include "cli_args.h"
#include "commands.h"
#include "dialtone/webhook/signature.h"

namespace dialtone::ctl {
namespace {

constexpr char kUsage[] =
    "usage: dialtonectl webhook sign --token TOKEN --url URL [NAME=VALUE ...]\n"
    "       dialtonectl webhook validate --token TOKEN --url URL --signature SIG "
    "[NAME=VALUE ...]\n"
    "  URL is the full URL requested, query string included; NAME=VALUE are the POST\n"
    "  parameters (none for a GET), repeated names allowed. sign prints the X-Twilio-Signature;\n"
    "  validate exits 0 when SIG is valid (with or without the URL's port), 1 when not.\n";

int Usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "error: " << problem << "\n";
  std::cerr << kUsage;
  return 2;
}

}  // namespace

int RunWebhook(const std::vector<std::string>& raw) {
  auto args = ParseCliArgs(raw);
  if (!args.ok()) return Usage(std::string(args.status().message()));
  if (args->positional.empty()) return Usage("");
  const std::string& verb = args->positional[0];
  if (verb != "sign" && verb != "validate") return Usage("unknown verb \"" + verb + "\"");
  const auto token = args->Get("token");
  const auto url = args->Get("url");
  const auto signature = args->Get("signature");
  if (!token || !url) return Usage("--token and --url are required");
  if (verb == "validate" && !signature) return Usage("validate needs --signature");

  webhook::Params params;
  for (std::size_t i = 1; i < args->positional.size(); ++i) {
    const std::string& pair = args->positional[i];
    const std::size_t eq = pair.find('=');
    if (eq == std::string::npos) return Usage("parameter \"" + pair + "\" is not NAME=VALUE");
    params.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
  }

  if (verb == "sign") {
    std::cout << webhook::ComputeTwilioSignature(*token, *url, params) << "\n";
    return 0;
  }
  const bool valid = webhook::ValidateTwilioSignature(*token, *url, params, *signature);
  std::cout << (valid ? "valid" : "invalid") << "\n";
  return valid ? 0 : 1;
}

}  // namespace dialtone::ctl
