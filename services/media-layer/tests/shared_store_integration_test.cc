// Media on every replica (issue 17): two media-layer processes on one Redis and one blob store, a
// shared directory or a real S3-compatible server (tests/node/s3_server.js, which checks SigV4).
// A recording stored through one is read through the other by gRPC and at its persistent address,
// ranges included; a replica that cannot reach the store, or signs with a wrong secret, answers
// UNAVAILABLE / 503 and serves no byte.
#include <catch2/catch.hpp>

#include <fstream>

#include "adapters/dir_blob_store.h"
#include "dialtone/audio/audio.h"
#include "media_test_support.h"

using namespace dialtone::media_layer::test;
namespace pb = dialtone::media::v1;
using dialtone::core::NewSid;

namespace {

constexpr char kBucket[] = "dialtone-media";
constexpr char kAccessKey[] = "DIALTONETEST";
constexpr char kSecretKey[] = "test-secret-key-1";

// The S3 server of tests/node, on a free port with kBucket and our key pair.
class S3Server {
 public:
  S3Server() : dir_(ScratchDir("s3")), port_(dt::FreePort()) {
    proc_ = std::make_unique<dt::ChildProcess>(
        std::vector<std::string>{"node", DIALTONE_S3_SERVER, dir_, std::to_string(port_), kBucket,
                                 kAccessKey, kSecretKey},
        dir_ + ".log");
    if (!dt::WaitForPort(port_, 15000)) {
      throw std::runtime_error("the S3 server did not start (scripts/dev setup installs it)");
    }
  }
  ~S3Server() {
    proc_.reset();
    std::filesystem::remove_all(dir_);
    std::filesystem::remove(dir_ + ".log");
  }
  void Stop() { proc_->Stop(SIGTERM); }
  std::string Endpoint() const { return absl::StrCat("http://127.0.0.1:", port_); }
  // Flags of a replica on this server, signing with `secret`.
  std::vector<std::string> Flags(const std::string& secret = kSecretKey) const {
    return {"--blob_store", "s3",    "--s3_endpoint",   Endpoint(), "--s3_bucket",     kBucket,
            "--s3_prefix",  "test/", "--s3_access_key", kAccessKey, "--s3_secret_key", secret};
  }

 private:
  std::string dir_;
  int port_;
  std::unique_ptr<dt::ChildProcess> proc_;
};

std::string Audio(size_t n) {
  std::string audio(n, '\0');
  for (size_t i = 0; i < n; ++i) audio[i] = static_cast<char>((i * 7 + i / 160) & 0xff);
  return audio;
}

grpc::Status StoreRecording(MediaLayerProcess& p, const std::string& account,
                            const std::string& audio, pb::StoredMedia* out) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  auto writer = p.stub->StoreRecording(&ctx, out);
  pb::RecordingFrame header;
  header.mutable_header()->set_account_sid(account);
  header.mutable_header()->set_call_sid(NewSid("CA"));
  header.mutable_header()->set_recording_sid(NewSid("RE"));
  header.mutable_header()->set_codec(pb::CODEC_PCMU);
  writer->Write(header);
  for (size_t pos = 0; pos < audio.size(); pos += 4000) {
    pb::RecordingFrame frame;
    frame.set_audio(audio.substr(pos, 4000));
    writer->Write(frame);
  }
  writer->WritesDone();
  return writer->Finish();
}

// ReadMedia's bytes, or the call's status.
std::pair<grpc::Status, std::string> ReadMedia(MediaLayerProcess& p, const std::string& account,
                                               const std::string& sid, int64_t offset = 0) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  pb::ReadMediaRequest req;
  req.set_account_sid(account);
  req.set_media_sid(sid);
  req.set_offset(offset);
  auto reader = p.stub->ReadMedia(&ctx, req);
  std::string data;
  pb::MediaChunk chunk;
  while (reader->Read(&chunk)) data += chunk.data();
  return {reader->Finish(), data};
}

pb::ResolveResponse Say(MediaLayerProcess& p, const std::string& account, const std::string& text,
                        grpc::Status* status) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  pb::ResolveRequest req;
  req.set_account_sid(account);
  req.mutable_speech()->set_text(text);
  pb::ResolveResponse resp;
  *status = p.stub->Resolve(&ctx, req, &resp);
  return resp;
}

// Stores through `a`, reads through `b`: whole, from an offset, as WAV and the other G.711 law,
// with ranges; a Say cached by `a` is a hit on `b`; a delete through `b` is seen by `a`.
void CheckAcrossReplicas(MediaLayerProcess& a, MediaLayerProcess& b) {
  std::string account = NewSid("AC");
  std::string audio = Audio(24000);  // 3 s of PCMU
  pb::StoredMedia stored;
  grpc::Status store = StoreRecording(a, account, audio, &stored);
  INFO(store.error_message());
  REQUIRE(store.ok());
  std::string sid = stored.media_sid();

  auto [status, data] = ReadMedia(b, account, sid);
  REQUIRE(status.ok());
  CHECK(data == audio);
  auto [tail_status, tail] = ReadMedia(b, account, sid, 20000);
  REQUIRE(tail_status.ok());
  CHECK(tail == audio.substr(20000));

  std::string media = "/v1/Media/" + sid;
  HttpResult ulaw = Http(b.Url(media + ".ulaw"));
  CHECK(ulaw.status == 200);
  CHECK(ulaw.body == audio);
  HttpResult part = Http(b.Url(media + ".ulaw"), {"Range: bytes=100-1099"});
  CHECK(part.status == 206);
  CHECK(part.body == audio.substr(100, 1000));
  CHECK_THAT(part.headers, Catch::Contains("Content-Range: bytes 100-1099/24000"));

  HttpResult wav = Http(b.Url(media + ".wav"));
  REQUIRE(wav.status == 200);
  std::string header = dialtone::audio::WavHeader(dialtone::audio::G711::kUlaw, 24000);
  CHECK(wav.body == header + audio);
  CHECK(Info(wav.body).samplerate == 8000);
  // A range across the WAV header and the payload.
  HttpResult wav_part = Http(b.Url(media + ".wav"), {"Range: bytes=30-99"});
  CHECK(wav_part.status == 206);
  CHECK(wav_part.body == wav.body.substr(30, 70));
  HttpResult alaw = Http(a.Url(media + ".alaw"));
  HttpResult alaw_part = Http(b.Url(media + ".alaw"), {"Range: bytes=-500"});
  CHECK(alaw_part.status == 206);
  CHECK(alaw_part.body == alaw.body.substr(alaw.body.size() - 500));

  grpc::Status say_status;
  pb::ResolveResponse first = Say(a, account, "Stored once for every replica.", &say_status);
  REQUIRE(say_status.ok());
  CHECK(first.outcome() == pb::CACHE_OUTCOME_MISS);
  pb::ResolveResponse again = Say(b, account, "Stored once for every replica.", &say_status);
  REQUIRE(say_status.ok());
  CHECK(again.outcome() == pb::CACHE_OUTCOME_HIT);
  CHECK(again.media().media_sid() == first.media().media_sid());
  CHECK(Http(b.Url("/v1/Media/" + first.media().media_sid() + ".wav")).status == 200);

  grpc::ClientContext ctx;
  pb::DeleteMediaRequest del;
  del.set_account_sid(account);
  del.set_media_sid(sid);
  pb::DeleteMediaResponse deleted;
  REQUIRE(b.stub->DeleteMedia(&ctx, del, &deleted).ok());
  CHECK(ReadMedia(a, account, sid).first.error_code() == grpc::StatusCode::NOT_FOUND);
  CHECK(Http(a.Url(media + ".wav")).status == 404);
}

}  // namespace

TEST_CASE("A recording stored through one replica is read through another: shared directory") {
  std::string media_dir = ScratchDir("shared-dir");
  MediaLayerProcess a({"--media_dir", media_dir}), b({"--media_dir", media_dir});
  CheckAcrossReplicas(a, b);
  // The deleted recording's blob left the shared folder; the Say's stays.
  CHECK(CountFiles(media_dir + "/blobs") == 1);
  CHECK(CountFiles(media_dir + "/tmp") == 0);
  std::filesystem::remove_all(media_dir);
}

TEST_CASE("A recording stored through one replica is read through another: S3-compatible store") {
  S3Server s3;
  MediaLayerProcess a(s3.Flags()), b(s3.Flags());
  CheckAcrossReplicas(a, b);
  // Over 1 MB libcurl sends the PUT with Expect: 100-continue; the signature still holds.
  std::string account = NewSid("AC"), audio = Audio(3 << 20);
  pb::StoredMedia big;
  REQUIRE(StoreRecording(a, account, audio, &big).ok());
  HttpResult end = Http(b.Url("/v1/Media/" + big.media_sid() + ".ulaw"), {"Range: bytes=-8000"});
  CHECK(end.status == 206);
  CHECK(end.body == audio.substr(audio.size() - 8000));
  CHECK(ReadMedia(b, account, big.media_sid()).second == audio);
}

TEST_CASE("A replica that signs with a wrong S3 secret answers UNAVAILABLE and 503, no bytes") {
  S3Server s3;
  MediaLayerProcess good(s3.Flags()), wrong(s3.Flags("not-the-secret"));
  std::string account = NewSid("AC");
  pb::StoredMedia stored;
  REQUIRE(StoreRecording(good, account, Audio(8000), &stored).ok());

  auto [status, data] = ReadMedia(wrong, account, stored.media_sid());
  CHECK(status.error_code() == grpc::StatusCode::UNAVAILABLE);
  CHECK_THAT(status.error_message(), Catch::Contains("SignatureDoesNotMatch"));
  CHECK(data.empty());
  HttpResult wav = Http(wrong.Url("/v1/Media/" + stored.media_sid() + ".wav"));
  CHECK(wav.status == 503);
  CHECK(wav.body == "media store unavailable\n");
  pb::StoredMedia refused;
  grpc::Status store = StoreRecording(wrong, account, Audio(800), &refused);
  CHECK(store.error_code() == grpc::StatusCode::UNAVAILABLE);
  CHECK_THAT(store.error_message(), Catch::Contains("DIALTONE_S3_SECRET_KEY"));
  grpc::Status say;
  Say(wrong, account, "Never stored.", &say);
  CHECK(say.error_code() == grpc::StatusCode::UNAVAILABLE);
  CHECK(wrong.proc->running());
}

TEST_CASE("When the S3 store goes away, replicas answer UNAVAILABLE and 503 and keep running") {
  S3Server s3;
  MediaLayerProcess a(s3.Flags());
  std::string account = NewSid("AC");
  pb::StoredMedia stored;
  REQUIRE(StoreRecording(a, account, Audio(8000), &stored).ok());
  s3.Stop();
  auto [status, data] = ReadMedia(a, account, stored.media_sid());
  CHECK(status.error_code() == grpc::StatusCode::UNAVAILABLE);
  CHECK_THAT(status.error_message(), Catch::Contains("unreachable"));
  CHECK(data.empty());
  CHECK(Http(a.Url("/v1/Media/" + stored.media_sid() + ".ulaw")).status == 503);
  pb::StoredMedia refused;
  CHECK(StoreRecording(a, account, Audio(800), &refused).error_code() ==
        grpc::StatusCode::UNAVAILABLE);
  CHECK(a.proc->running());
}

TEST_CASE("The directory store reads exact ranges and refuses a blob shorter than asked") {
  std::string dir = ScratchDir("dir-store");
  dialtone::media_layer::DirBlobStore store(dir);
  REQUIRE(store.Init().ok());
  auto sha = store.Put("0123456789", "ulaw");
  REQUIRE(sha.ok());
  CHECK(*store.Exists(*sha, "ulaw"));
  CHECK(*store.Read(*sha, "ulaw", 3, 4) == "3456");
  CHECK(store.Read(*sha, "ulaw", 8, 4).status().code() == absl::StatusCode::kDataLoss);
  CHECK(store.Read(std::string(64, 'a'), "ulaw", 0, 1).status().code() ==
        absl::StatusCode::kNotFound);
  REQUIRE(store.Remove(*sha, "ulaw").ok());
  CHECK_FALSE(*store.Exists(*sha, "ulaw"));
  CHECK(store.Remove(*sha, "ulaw").ok());
  CHECK(CountFiles(dir + "/tmp") == 0);
  std::filesystem::remove_all(dir);
}
