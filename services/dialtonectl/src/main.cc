// dialtonectl: command-line client of Dialtone's gRPC services, for operators and internal teams.
#include <iostream>
#include <string>
#include <vector>

#include "commands.h"

namespace {

constexpr char kUsage[] =
    "usage: dialtonectl COMMAND [ARGS]\n\n"
    "commands:\n"
    "  health [--addr HOST:PORT ...]   gRPC health of every service (exit 0 when all SERVING)\n"
    "  accounts create|get|list|rotate-token|settings ...   account administration\n"
    "  usage publish|query --account SID ...   publish a usage event, read usage records\n"
    "  webhook sign|validate --token T --url U [NAME=VALUE ...]   X-Twilio-Signature\n"
    "  twiml check [--content-type T] [--url U] FILE|-   parse TwiML, print the program as JSON\n"
    "  triggers list|create|delete --account SID ...   usage triggers (JSON)\n"
    "  media resolve URL|--say TEXT [--voice V --language L] [--codec pcmu|pcma]   print as "
    "JSON\n\n"
    "gRPC with mutual TLS: set DIALTONE_GRPC_TLS_CERT, _KEY, _CA (and _SERVER_NAME) as for the "
    "services.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "health") return dialtone::ctl::RunHealth(args);
  if (command == "accounts") return dialtone::ctl::RunAccounts(args);
  if (command == "usage") return dialtone::ctl::RunUsage(args);
  if (command == "webhook") return dialtone::ctl::RunWebhook(args);
  if (command == "twiml") return dialtone::ctl::RunTwiml(args);
  if (command == "triggers") return dialtone::ctl::RunTriggers(args);
  if (command == "media") return dialtone::ctl::RunMedia(args);
  std::cerr << "unknown command \"" << command << "\"\n" << kUsage;
  return 2;
}
