// call-router: SIP calls, TwiML execution, and the call resources.
#include <iostream>

#include "app/call_router_app.h"

int main(int argc, char** argv) {
  dialtone::call_router::Config config;
  dialtone::config::ConfigLoader loader("call-router");
  dialtone::call_router::AddOptions(loader, &config);
  if (int code = dialtone::service::LoadConfigOrExitCode(loader, argc, argv); code >= 0) {
    return code;
  }
  dialtone::call_router::CallRouterApp app(std::move(config));
  if (absl::Status s = app.Run(); !s.ok()) {
    std::cerr << "call-router: " << s.message() << "\n";
    return 1;
  }
  return 0;
}
