// The persistent addresses: GET/HEAD /v1/Media/{sid}.wav|.ulaw|.alaw with ETag, If-None-Match
// and single-range Range requests, so that call routers stream from them and API users
// download recordings.
#pragma once

#include "adapters/media_service.h"
#include "dialtone/web/http_server.h"

namespace dialtone::media_layer {

// Runs on the HTTP server's I/O threads; holds no state.
class MediaHttp {
 public:
  explicit MediaHttp(MediaService& service) : service_(service) {}
  web::HttpServer::Response Handle(const web::HttpServer::Request& req);

 private:
  MediaService& service_;
};

}  // namespace dialtone::media_layer
