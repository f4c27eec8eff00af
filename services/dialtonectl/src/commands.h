// dialtonectl's sub-commands. Each takes its arguments (after the sub-command name) and returns
// the process exit code; output goes to stdout as JSON or text, errors to stderr.
#pragma once

#include <string>
#include <vector>

namespace dialtone::ctl {

int RunHealth(const std::vector<std::string>& args);
int RunAccounts(const std::vector<std::string>& args);
int RunUsage(const std::vector<std::string>& args);
int RunWebhook(const std::vector<std::string>& args);
int RunTwiml(const std::vector<std::string>& args);
int RunTriggers(const std::vector<std::string>& args);
int RunMedia(const std::vector<std::string>& args);

}  // namespace dialtone::ctl
