// libFuzzer target on the TwiML parser: any bytes a customer's server sends must come back as a
// program (that prints as JSON) or as one of Twilio's TwiML error codes, never as a crash, a leak,
// undefined behaviour or a hang. Built by libs/twiml/fuzz/CMakeLists.txt with clang; run by
// run_twiml_fuzzer.sh (ctest: twiml_parser_fuzz).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dialtone/twiml/error.h"
#include "dialtone/twiml/parser.h"
#include "dialtone/twiml/program_json.h"

namespace {

using dialtone::twiml::Program;

// The URL the golden corpus is parsed with, so that the seeds run as their tests do.
constexpr std::string_view kCorpusUrl = "https://app.example.com/voice/start.xml";

// A TwiML type, with parameters and odd case, the non-XML kinds and a refused one.
constexpr std::string_view kContentTypes[8] = {"text/xml",
                                               "application/xml; charset=utf-8",
                                               " Text/HTML ;q=1",
                                               "text/plain",
                                               "audio/mpeg",
                                               "image/png",
                                               "",
                                               "text/xml;"};
// Document URLs exercising RFC 3986 resolution: none, the corpus's, the RFC's example base
// (with params and a query), a non-HTTP base, a relative one, an authority without a path.
constexpr std::string_view kUrls[8] = {"",
                                       kCorpusUrl,
                                       "http://a/b/c/d;p?q",
                                       "ftp://files.example.com/x/y.xml",
                                       "relative/path.xml",
                                       "https://app.example.com",
                                       "HTTPS://App.Example.com:8443/a/./b/../c?x=1#frag",
                                       "https://app.example.com/%7Euser/twiml/"};

bool Accepted(std::string_view content_type) {
  return content_type != "image/png" && !content_type.empty();
}

[[noreturn]] void Violation(const char* what, const absl::Status& status) {
  std::fprintf(stderr, "invariant broken: %s (status: %s)\n", what, status.ToString().c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  std::string_view content_type = kContentTypes[0];
  std::string_view url = kCorpusUrl;
  // A document as served ('<' or blank first, as every seed) is parsed as text/xml from the
  // corpus URL; otherwise the first byte picks the content type (low 3 bits) and the URL (next
  // 3 bits) and the rest is the body.
  if (size > 0 && body[0] != '<' && body[0] != ' ' && body[0] != '\n' && body[0] != '\t') {
    content_type = kContentTypes[data[0] & 7];
    url = kUrls[(data[0] >> 3) & 7];
    body.remove_prefix(1);
  }

  const absl::StatusOr<Program> program = dialtone::twiml::ParseTwiml(body, content_type, url);
  if (program.ok()) {
    if (!Accepted(content_type)) Violation("a refused content type parsed", program.status());
    if (program->document_url != url) Violation("document_url is not the URL given", {});
    if (dialtone::twiml::ProgramToJson(*program).empty()) Violation("empty JSON", {});
    return 0;
  }
  const absl::Status& status = program.status();
  const int code = dialtone::twiml::TwilioErrorCode(status);
  switch (code) {
    case dialtone::twiml::kErrorInvalidContentType:
      if (Accepted(content_type)) Violation("12300 for an accepted content type", status);
      break;
    case dialtone::twiml::kErrorBodyTooLarge:
      if (body.size() <= dialtone::twiml::kMaxTwimlBodyBytes) {
        Violation("11750 for a body within the limit", status);
      }
      break;
    case dialtone::twiml::kErrorDocumentParse:
    case dialtone::twiml::kErrorSchemaValidation: break;
    default: Violation("an error without a TwiML error code", status);
  }
  if (dialtone::twiml::TwimlErrorToJson(status).empty()) Violation("empty error JSON", status);
  return 0;
}
