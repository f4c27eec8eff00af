// Bad input ends with a clear error carrying the Twilio code and leaves nothing in the cache:
// no index key for the account, no blob on disk.
#include <catch2/catch.hpp>

#include <grpcpp/grpcpp.h>
#include <sndfile.h>

#include "adapters/media_layer_grpc.h"
#include "dialtone/core/twilio_error.h"
#include "dialtone/rpc/status.h"
#include "domain/media_error.h"
#include "media_test_support.h"

using namespace dialtone::media_layer;
using namespace dialtone::media_layer::test;

namespace {

void CheckFailsClean(Harness& h, const absl::StatusOr<ResolveResult>& r, int twilio_code) {
  REQUIRE_FALSE(r.ok());
  INFO(r.status().ToString());
  CHECK(TwilioCode(r.status()) == twilio_code);
  CHECK_THAT(std::string(r.status().message()),
             Catch::StartsWith("[" + std::to_string(twilio_code) + "]"));
  CHECK(h.AccountKeys() == 0);
  CHECK(h.BlobCount() == 0);
}

}  // namespace

TEST_CASE("Origin 404 and 500 fail with 11200 and cache nothing") {
  Origin origin;
  Harness h;
  CheckFailsClean(h, h.ResolveUrl(origin.Url("missing.wav")), kErrorHttpRetrieval);
  origin.Put("e.wav", Tone(SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, 0.5));
  CheckFailsClean(h, h.ResolveUrl(origin.Url("e.wav?status=500")), kErrorHttpRetrieval);
  // A failure is not remembered: the next try fetches again.
  CheckFailsClean(h, h.ResolveUrl(origin.Url("e.wav?status=500")), kErrorHttpRetrieval);
  CHECK(origin.Requests("e.wav") == 2);
}

TEST_CASE("Redirects are followed, and a redirect loop fails with 11215") {
  Origin origin;
  Harness h;
  origin.Put("moved.wav", Tone(SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, 0.5));
  auto moved = h.ResolveUrl(origin.Url("moved.wav?redirect=1"));
  REQUIRE(moved.ok());
  CHECK(moved->entry.duration_ms == 500);
  CHECK(origin.Requests("moved.wav") == 2);
  Harness clean;  // an empty cache for the failure's checks
  CheckFailsClean(clean, clean.ResolveUrl(origin.Url("moved.wav?redirect=loop")),
                  kErrorTooManyRedirects);
}

TEST_CASE("A timeout fails with 11200") {
  Origin origin;
  Harness h({.timeout = absl::Milliseconds(500)});
  origin.Put("slow.wav", Tone(SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, 0.5));
  auto r = h.ResolveUrl(origin.Url("slow.wav?delay=2"));
  CheckFailsClean(h, r, kErrorHttpRetrieval);
  CHECK_THAT(std::string(r.status().message()), Catch::Contains("timed out"));
}

TEST_CASE("A non-audio content type fails with 12300") {
  Origin origin;
  Harness h;
  origin.Put("page.html", "<html>not audio</html>");
  CheckFailsClean(h, h.ResolveUrl(origin.Url("page.html?ctype=text/html")),
                  kErrorInvalidContentType);
}

TEST_CASE("Corrupt and empty audio fail with 12300") {
  Origin origin;
  Harness h;
  origin.Put("corrupt.wav", "RIFF\x10\x00\x00\x00WAVEjunkjunkjunkjunk" + std::string(3000, 'z'));
  CheckFailsClean(h, h.ResolveUrl(origin.Url("corrupt.wav")), kErrorInvalidContentType);
  origin.Put("empty.mp3", "");
  CheckFailsClean(h, h.ResolveUrl(origin.Url("empty.mp3")), kErrorInvalidContentType);
}

TEST_CASE("A file over the size limit fails with 11200") {
  Origin origin;
  Harness h({.max_bytes = 100 * 1000});
  origin.Put("big.wav", Tone(SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, 2.0));  // ~350 kB
  auto r = h.ResolveUrl(origin.Url("big.wav"));
  CheckFailsClean(h, r, kErrorHttpRetrieval);
  CHECK_THAT(std::string(r.status().message()), Catch::Contains("limit"));
}

TEST_CASE("Bad URLs, refused connections and unsupported languages fail with their codes") {
  Harness h;
  CheckFailsClean(h, h.ResolveUrl("ftp://example.com/a.wav"), kErrorInvalidUrl);
  CheckFailsClean(h, h.ResolveUrl("http://127.0.0.1:" + std::to_string(dt::FreePort()) + "/a.wav"),
                  kErrorHttpConnection);
  auto lang = h.Say("Bonjour", "alice", "xx-XX");
  CheckFailsClean(h, lang, kErrorSayInvalidLanguage);
  CHECK_THAT(std::string(lang.status().message()), Catch::Contains("xx-XX"));
  CheckFailsClean(h, h.Say("", "alice", "en-US"), kErrorSayInvalidText);
}

TEST_CASE("gRPC errors carry the Twilio code in the message and the status details") {
  Origin origin;
  Harness h;
  MediaLayerGrpc handler(h.service);
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&handler);
  auto server = builder.BuildAndStart();
  REQUIRE(server);
  auto stub = dialtone::media::v1::MediaLayer::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  dialtone::media::v1::ResolveRequest req;
  req.set_account_sid(h.account);
  req.set_url(origin.Url("nothing.wav"));
  dialtone::media::v1::ResolveResponse resp;
  grpc::Status s = stub->Resolve(&ctx, req, &resp);
  CHECK(s.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(dialtone::rpc::TwilioCodeOf(s) == 11200);
  CHECK_THAT(s.error_message(), Catch::StartsWith("[11200] "));
  CHECK(dialtone::core::TwilioCodeOf(dialtone::rpc::FromGrpcStatus(s)) == 11200);

  // Recordings through the stream, then GetMedia and ReadMedia.
  grpc::ClientContext rctx;
  dialtone::media::v1::StoredMedia stored;
  auto writer = stub->StoreRecording(&rctx, &stored);
  dialtone::media::v1::RecordingFrame frame;
  frame.mutable_header()->set_account_sid(h.account);
  frame.mutable_header()->set_codec(dialtone::media::v1::CODEC_PCMA);
  REQUIRE(writer->Write(frame));
  for (int i = 0; i < 50; ++i) {  // 50 frames of 20 ms
    dialtone::media::v1::RecordingFrame audio;
    audio.set_audio(std::string(160, static_cast<char>(0xd5)));
    REQUIRE(writer->Write(audio));
  }
  writer->WritesDone();
  REQUIRE(writer->Finish().ok());
  CHECK(stored.duration_ms() == 1000);
  CHECK(stored.codec() == dialtone::media::v1::CODEC_PCMA);
  CHECK_THAT(stored.url(), Catch::EndsWith("/v1/Media/" + stored.media_sid() + ".wav"));

  grpc::ClientContext gctx;
  dialtone::media::v1::GetMediaRequest get;
  get.set_account_sid(h.account);
  get.set_media_sid(stored.media_sid());
  dialtone::media::v1::StoredMedia got;
  REQUIRE(stub->GetMedia(&gctx, get, &got).ok());
  CHECK(got.size_bytes() == 8000);

  grpc::ClientContext mctx;
  dialtone::media::v1::ReadMediaRequest read;
  read.set_account_sid(h.account);
  read.set_media_sid(stored.media_sid());
  read.set_offset(1000);
  auto reader = stub->ReadMedia(&mctx, read);
  dialtone::media::v1::MediaChunk chunk;
  size_t bytes = 0;
  while (reader->Read(&chunk)) bytes += chunk.data().size();
  CHECK(reader->Finish().ok());
  CHECK(bytes == 7000);
  server->Shutdown();
}
