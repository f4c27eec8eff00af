// media-layer: fetch, synthesise, convert and cache media at persistent addresses.
#include <iostream>

#include "app/media_layer_app.h"

int main(int argc, char** argv) {
  dialtone::media_layer::Config config;
  dialtone::config::ConfigLoader loader("media-layer");
  dialtone::media_layer::AddOptions(loader, &config);
  if (int code = dialtone::service::LoadConfigOrExitCode(loader, argc, argv); code >= 0) {
    return code;
  }
  auto app = dialtone::media_layer::MediaLayerApp::Create(std::move(config));
  absl::Status s = app.ok() ? (*app)->Run() : app.status();
  if (!s.ok()) {
    std::cerr << "media-layer: " << s.message() << "\n";
    return 1;
  }
  return 0;
}
