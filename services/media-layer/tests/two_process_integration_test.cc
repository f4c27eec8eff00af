// Two media-layer processes on the same Redis and media folder: concurrent resolves of one URL
// through both make one origin request (the Redis lock), and either serves the address.
#include <catch2/catch.hpp>

#include <sndfile.h>

#include <future>

#include "media_test_support.h"

using namespace dialtone::media_layer::test;
namespace pb = dialtone::media::v1;

TEST_CASE("20 concurrent resolves across two processes make one origin request") {
  Origin origin;
  origin.Put("two.wav", Tone(SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, 1.0));
  std::string media_dir = ScratchDir("shared");
  MediaLayerProcess a({"--media_dir", media_dir}), b({"--media_dir", media_dir});
  std::string account = dialtone::core::NewSid("AC");
  std::vector<std::future<std::pair<grpc::Status, pb::ResolveResponse>>> calls;
  for (int i = 0; i < 20; ++i) {
    MediaLayerProcess& p = i % 2 ? a : b;
    calls.push_back(std::async(std::launch::async, [&] {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
      pb::ResolveRequest req;
      req.set_account_sid(account);
      req.set_url(origin.Url("two.wav?delay=0.5"));
      req.set_codec(pb::CODEC_PCMU);
      pb::ResolveResponse resp;
      grpc::Status s = p.stub->Resolve(&ctx, req, &resp);
      return std::make_pair(s, resp);
    }));
  }
  int misses = 0;
  std::set<std::string> sids;
  for (auto& c : calls) {
    auto [status, resp] = c.get();
    REQUIRE(status.ok());
    misses += resp.outcome() == pb::CACHE_OUTCOME_MISS;
    sids.insert(resp.media().media_sid());
  }
  CHECK(misses == 1);
  CHECK(sids.size() == 1);
  CHECK(origin.Requests("two.wav") == 1);
  // Either process serves the persistent address.
  for (int port : {a.http_port, b.http_port}) {
    HttpResult wav =
        Http(absl::StrCat("http://127.0.0.1:", port, "/v1/Media/", *sids.begin(), ".wav"));
    CHECK(wav.status == 200);
    CHECK(Info(wav.body).samplerate == 8000);
  }
  // Metrics are exposed.
  std::string metrics = Http(absl::StrCat("http://127.0.0.1:", a.metrics_port, "/metrics")).body;
  CHECK_THAT(metrics, Catch::Contains("dialtone_media_resolves_total"));
  std::filesystem::remove_all(media_dir);
}
