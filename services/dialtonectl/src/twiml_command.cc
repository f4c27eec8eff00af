// `dialtonectl twiml check FILE|-`: runs the call router's TwiML parser on a local document, so
// that users see the program Dialtone would run (or Twilio's error code and line) before deploying.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "cli_args.h"
#include "commands.h"
#include "dialtone/twiml/parser.h"
#include "dialtone/twiml/program_json.h"

namespace dialtone::ctl {
namespace {

constexpr char kUsage[] =
    "usage: dialtonectl twiml check [--content-type T] [--url U] FILE|-\n"
    "  Parses a TwiML document (FILE, or stdin for -) as the call router would and prints the\n"
    "  program as JSON (exit 0), or the error as {\"code\", \"line\", \"message\"} (exit 1).\n"
    "  --content-type  the response's Content-Type (default text/xml)\n"
    "  --url           the document's URL: relative URLs are resolved against it and it is\n"
    "                  the default action of <Gather> and <Record> (default: none)\n";

int Usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << "error: " << problem << "\n";
  std::cerr << kUsage;
  return 2;
}

// The whole stream, bytes as they are (TwiML is UTF-8, but the parser judges that).
std::string ReadAll(std::istream& in) {
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

int RunTwiml(const std::vector<std::string>& raw) {
  auto args = ParseCliArgs(raw);
  if (!args.ok()) return Usage(std::string(args.status().message()));
  for (const auto& [name, value] : args->options) {
    if (name != "content-type" && name != "url") return Usage("unknown option --" + name);
  }
  if (args->positional.empty()) return Usage("");
  if (args->positional[0] != "check") {
    return Usage("unknown verb \"" + args->positional[0] + "\"");
  }
  if (args->positional.size() != 2) return Usage("check takes one FILE (or - for stdin)");

  const std::string& path = args->positional[1];
  std::string body;
  if (path == "-") {
    body = ReadAll(std::cin);
    if (std::cin.bad()) {
      std::cerr << "error: cannot read stdin\n";
      return 2;
    }
  } else {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
      std::cerr << "error: cannot read " << path << "\n";
      return 2;
    }
    body = ReadAll(file);
  }

  const std::string content_type = args->GetOr("content-type", "text/xml");
  const std::string url = args->GetOr("url", "");
  const absl::StatusOr<twiml::Program> program = twiml::ParseTwiml(body, content_type, url);
  if (!program.ok()) {
    std::cout << twiml::TwimlErrorToJson(program.status());
    return 1;
  }
  std::cout << twiml::ProgramToJson(*program);
  return 0;
}

}  // namespace dialtone::ctl
