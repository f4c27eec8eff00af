// Shared harness of media-layer's integration tests: the real Redis, a local origin
// (tests/lib/app_server.py) that counts its requests, a scratch media folder, and the service
// with its HTTP addresses in process.
#pragma once

#include <curl/curl.h>
#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/dir_blob_store.h"
#include "adapters/media_fetcher.h"
#include "adapters/media_http.h"
#include "adapters/media_index.h"
#include "adapters/media_service.h"
#include "adapters/tts_engine.h"
#include "dialtone/audio/test_audio.h"
#include "dialtone/core/sid.h"
#include "dialtone/media/v1/media_layer.grpc.pb.h"
#include "dialtone/redis/redis_pool.h"
#include "dialtone/testing/test_env.h"

namespace dialtone::media_layer::test {

// Tones and SF_INFO made with libsndfile (libs/audio/testing).
using audio::test::Info;
using audio::test::Tone;

namespace dt = dialtone::testing;

struct HttpResult {
  long status = 0;
  std::string body;
  std::string headers;
};

inline HttpResult Http(const std::string& url, const std::vector<std::string>& request_headers = {},
                       bool head = false) {
  HttpResult r;
  CURL* c = curl_easy_init();
  curl_slist* hs = nullptr;
  for (const auto& h : request_headers) hs = curl_slist_append(hs, h.c_str());
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
  curl_easy_setopt(c, CURLOPT_NOBODY, head ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
  auto append = +[](char* d, size_t s, size_t n, void* u) {
    static_cast<std::string*>(u)->append(d, s * n);
    return s * n;
  };
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, append);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(hs);
  curl_easy_cleanup(c);
  return r;
}

inline std::string ScratchDir(const std::string& name) {
  std::string dir = absl::StrCat("/tmp/dialtone-media-test-", name, "-", dt::RandomSuffix());
  std::filesystem::create_directories(dir);
  return dir;
}

inline int CountFiles(const std::string& dir) {
  int n = 0;
  if (!std::filesystem::exists(dir)) return 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

// app_server.py serving the files of a scratch folder at /media/<name>.
class Origin {
 public:
  Origin() : dir_(ScratchDir("origin")), port_(dt::FreePort()) {
    proc_ = std::make_unique<dt::ChildProcess>(
        std::vector<std::string>{"python3", DIALTONE_APP_SERVER, std::to_string(port_), dir_},
        dir_ + ".log");
    if (!dt::WaitForPort(port_, 5000)) throw std::runtime_error("the origin did not start");
  }
  ~Origin() {
    proc_.reset();
    std::filesystem::remove_all(dir_);
    std::filesystem::remove(dir_ + ".log");
  }

  void Put(const std::string& name, const std::string& bytes) {
    std::string tmp = dir_ + "/." + name;
    std::ofstream(tmp, std::ios::binary) << bytes;
    std::filesystem::rename(tmp, dir_ + "/" + name);
  }
  std::string Url(const std::string& name_and_query) const {
    return absl::StrCat("http://127.0.0.1:", port_, "/media/", name_and_query);
  }
  // Requests the origin received for /media/<name> (any query).
  int Requests(const std::string& name) const {
    std::string all = Http(absl::StrCat("http://127.0.0.1:", port_, "/_requests")).body;
    std::string needle = absl::StrCat("\"path\": \"/media/", name);
    int n = 0;
    for (size_t pos = all.find(needle); pos != std::string::npos; pos = all.find(needle, pos + 1)) {
      if (pos + needle.size() < all.size()) {
        char next = all[pos + needle.size()];
        if (next == '"' || next == '?') ++n;
      }
    }
    return n;
  }
  std::string RequestsJson() const {
    return Http(absl::StrCat("http://127.0.0.1:", port_, "/_requests")).body;
  }

 private:
  std::string dir_;
  int port_;
  std::unique_ptr<dt::ChildProcess> proc_;
};

inline std::unique_ptr<redis::RedisPool> TestRedis() {
  auto pool = redis::RedisPool::Create(
      {.url = dt::RequireEnv("DIALTONE_TEST_REDIS_URL"), .max_connections = 32});
  if (!pool.ok()) throw std::runtime_error(pool.status().ToString());
  return std::move(*pool);
}

inline TtsEngine& Tts() {
  static std::unique_ptr<EspeakEngine> engine = [] {
    auto e = EspeakEngine::Create();
    if (!e.ok()) throw std::runtime_error(e.status().ToString());
    return std::move(*e);
  }();
  return *engine;
}

struct HarnessOptions {
  int64_t cache_max_bytes = int64_t{1} << 30;
  int64_t max_bytes = 4 << 20;
  absl::Duration timeout = absl::Seconds(2);
  absl::Duration local_ttl = absl::Seconds(1);
};

// The media service over the real Redis and a scratch folder, with its HTTP addresses.
struct Harness {
  explicit Harness(HarnessOptions o = {})
      : redis(TestRedis()),
        media_dir(ScratchDir("media")),
        index(*redis,
              {.cache_max_bytes = o.cache_max_bytes, .lru_tag = "lru-" + dt::RandomSuffix()}),
        blobs(media_dir),
        fetcher({.timeout = o.timeout, .max_bytes = o.max_bytes}),
        service(index, blobs, fetcher, Tts(), nullptr, {.local_ttl = o.local_ttl}),
        http_handler(service) {
    if (auto s = blobs.Init(); !s.ok()) throw std::runtime_error(s.ToString());
    auto server =
        dialtone::web::HttpServer::Start({.address = "127.0.0.1:0", .threads = 2},
                                         [this](const auto& r) { return http_handler.Handle(r); });
    if (!server.ok()) throw std::runtime_error(server.status().ToString());
    http = std::move(*server);
  }
  ~Harness() {
    http->Stop();
    std::filesystem::remove_all(media_dir);
  }

  absl::StatusOr<ResolveResult> ResolveUrl(const std::string& url, G711 codec = G711::kUlaw) {
    return service.Resolve({.account_sid = account, .url = url, .codec = codec});
  }
  absl::StatusOr<ResolveResult> Say(const std::string& text, const std::string& voice = "alice",
                                    const std::string& language = "en-US") {
    return service.Resolve(
        {.account_sid = account,
         .speech = SpeechInput{.text = text, .voice = voice, .language = language}});
  }
  // The persistent address, served by this harness's HTTP server.
  std::string Address(const std::string& sid, const std::string& ext = "wav") const {
    return absl::StrCat("http://127.0.0.1:", http->port(), "/v1/Media/", sid, ".", ext);
  }
  int BlobCount() const { return CountFiles(media_dir + "/blobs"); }
  // Keys of this account in Redis (test accounts are fresh, so 0 means nothing cached).
  size_t AccountKeys() {
    auto r = redis->Command({"KEYS", absl::StrCat("media:{", account, "}:*")});
    return r.ok() ? r->elements.size() : 999;
  }

  std::unique_ptr<redis::RedisPool> redis;
  std::string account = core::NewSid(core::kAccountPrefix);
  std::string media_dir;
  MediaIndex index;
  DirBlobStore blobs;
  HttpMediaFetcher fetcher;
  MediaService service;
  MediaHttp http_handler;
  std::unique_ptr<dialtone::web::HttpServer> http;
};

// A media-layer process (the real binary) on the test Redis, its blob store given by `store_flags`
// ({"--media_dir", dir} or the --blob_store s3 flags); killed with the object.
struct MediaLayerProcess {
  explicit MediaLayerProcess(std::vector<std::string> store_flags)
      : grpc_port(dt::FreePort()), http_port(dt::FreePort()), metrics_port(dt::FreePort()) {
    std::vector<std::string> argv{DIALTONE_MEDIA_LAYER_BIN,
                                  "--grpc_addr",
                                  "127.0.0.1:" + std::to_string(grpc_port),
                                  "--metrics_addr",
                                  "127.0.0.1:" + std::to_string(metrics_port),
                                  "--http_addr",
                                  "127.0.0.1:" + std::to_string(http_port),
                                  "--redis_url",
                                  dt::RequireEnv("DIALTONE_TEST_REDIS_URL"),
                                  "--log_level",
                                  "warn"};
    argv.insert(argv.end(), store_flags.begin(), store_flags.end());
    log = absl::StrCat("/tmp/dialtone-media-test-", grpc_port, "-", dt::RandomSuffix(), ".log");
    proc = std::make_unique<dt::ChildProcess>(argv, log);
    if (!dt::WaitForPort(grpc_port, 10000) || !dt::WaitForPort(http_port, 10000)) {
      throw std::runtime_error("media-layer did not start; see " + log);
    }
    stub = dialtone::media::v1::MediaLayer::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(grpc_port), grpc::InsecureChannelCredentials()));
  }
  ~MediaLayerProcess() {
    proc.reset();
    std::filesystem::remove(log);
  }
  std::string Url(const std::string& path) const {
    return absl::StrCat("http://127.0.0.1:", http_port, path);
  }

  int grpc_port, http_port, metrics_port;
  std::string log;
  std::unique_ptr<dt::ChildProcess> proc;
  std::unique_ptr<dialtone::media::v1::MediaLayer::Stub> stub;
};

}  // namespace dialtone::media_layer::test
