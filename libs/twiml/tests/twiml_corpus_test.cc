// Golden tests: every valid/*.xml parses to expected/*.json byte for byte;
// every invalid/*.xml fails with the code and line in its .expect file
// ("code=12200 line=4", or "line=none"). Set DIALTONE_UPDATE_GOLDEN=1 to
// rewrite the expected files after an intended change, then review the diff.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dialtone/twiml/error.h"
#include "dialtone/twiml/parser.h"
#include "dialtone/twiml/program_json.h"

namespace dialtone::twiml {
namespace {

namespace fs = std::filesystem;

constexpr char kCorpusUrl[] = "https://app.example.com/voice/start.xml";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<fs::path> XmlFiles(const fs::path& directory) {
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory)) {
    if (entry.path().extension() == ".xml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool Updating() { return std::getenv("DIALTONE_UPDATE_GOLDEN") != nullptr; }

std::string ExpectationOf(const absl::Status& status) {
  const std::optional<int> line = TwimlErrorLine(status);
  return "code=" + std::to_string(TwilioErrorCode(status)) +
         " line=" + (line ? std::to_string(*line) : "none") + "\n";
}

TEST_CASE("Each valid corpus document parses to its golden JSON", "[corpus]") {
  const fs::path corpus = TWIML_CORPUS_DIR;
  const std::vector<fs::path> files = XmlFiles(corpus / "valid");
  REQUIRE(files.size() >= 12);
  for (const fs::path& file : files) {
    INFO("document: " << file.filename().string());
    absl::StatusOr<Program> program = ParseTwiml(ReadFile(file), "text/xml", kCorpusUrl);
    INFO("status: " << program.status().ToString());
    REQUIRE(program.ok());
    const std::string json = ProgramToJson(*program);
    const fs::path expected = corpus / "expected" / file.filename().replace_extension(".json");
    if (Updating()) WriteFile(expected, json);
    CHECK(json == ReadFile(expected));
  }
}

TEST_CASE("Each invalid corpus document fails with its code and line", "[corpus]") {
  const fs::path corpus = TWIML_CORPUS_DIR;
  const std::vector<fs::path> files = XmlFiles(corpus / "invalid");
  REQUIRE(files.size() >= 12);
  for (const fs::path& file : files) {
    INFO("document: " << file.filename().string());
    absl::StatusOr<Program> program = ParseTwiml(ReadFile(file), "text/xml", kCorpusUrl);
    REQUIRE_FALSE(program.ok());
    INFO("message: " << program.status().message());
    const fs::path expected = fs::path(file).replace_extension(".expect");
    if (Updating()) WriteFile(expected, ExpectationOf(program.status()));
    CHECK(ExpectationOf(program.status()) == ReadFile(expected));
  }
}

}  // namespace
}  // namespace dialtone::twiml
