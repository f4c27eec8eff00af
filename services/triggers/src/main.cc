// triggers: usage triggers that call back once per period when usage crosses a value.
#include <iostream>

#include "app/triggers_app.h"

int main(int argc, char** argv) {
  dialtone::triggers::Config config;
  dialtone::config::ConfigLoader loader("triggers");
  dialtone::triggers::AddOptions(loader, &config);
  if (int code = dialtone::service::LoadConfigOrExitCode(loader, argc, argv); code >= 0) {
    return code;
  }
  dialtone::triggers::TriggersApp app(std::move(config));
  if (absl::Status s = app.Run(); !s.ok()) {
    std::cerr << "triggers: " << s.message() << "\n";
    return 1;
  }
  return 0;
}
