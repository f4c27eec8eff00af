// usage-metering: counts usage events exactly once per account, category and period.
#include <iostream>

#include "app/usage_metering_app.h"

int main(int argc, char** argv) {
  dialtone::usage_metering::Config config;
  dialtone::config::ConfigLoader loader("usage-metering");
  dialtone::usage_metering::AddOptions(loader, &config);
  if (int code = dialtone::service::LoadConfigOrExitCode(loader, argc, argv); code >= 0) {
    return code;
  }
  auto app = dialtone::usage_metering::UsageMeteringApp::Create(std::move(config));
  absl::Status s = app.ok() ? (*app)->Run() : app.status();
  if (!s.ok()) {
    std::cerr << "usage-metering: " << s.message() << "\n";
    return 1;
  }
  return 0;
}
