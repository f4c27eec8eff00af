// rest-gateway: Twilio's 2010-04-01 REST API in front of the other services; owns accounts.
#include <iostream>

#include "app/rest_gateway_app.h"

int main(int argc, char** argv) {
  dialtone::rest_gateway::Config config;
  dialtone::config::ConfigLoader loader("rest-gateway");
  dialtone::rest_gateway::AddOptions(loader, &config);
  if (int code = dialtone::service::LoadConfigOrExitCode(loader, argc, argv); code >= 0) {
    return code;
  }
  auto sealer = dialtone::rest_gateway::TokenSealer(config);
  if (!sealer.ok()) {
    std::cerr << sealer.status().message() << "\n";
    return 2;
  }
  dialtone::rest_gateway::RestGatewayApp app(std::move(config), *std::move(sealer));
  if (absl::Status s = app.Run(); !s.ok()) {
    std::cerr << "rest-gateway: " << s.message() << "\n";
    return 1;
  }
  return 0;
}
