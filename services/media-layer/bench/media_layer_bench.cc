// Load driver of bench/media_layer_bench.sh: Resolve hit latency and throughput, miss cost and
// TTS time against a running media-layer. Prints one figure per line.
//   media_layer_bench hit ADDR URL SECONDS THREADS   (also prints the response size)
//   media_layer_bench miss ADDR URL COUNT            (URL gets ?n=<i> so that each one misses)
//   media_layer_bench tts ADDR CHARS COUNT
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "dialtone/core/sid.h"
#include "dialtone/media/v1/media_layer.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace pb = dialtone::media::v1;
using Clock = std::chrono::steady_clock;

namespace {

double Us(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

std::unique_ptr<pb::MediaLayer::Stub> Stub(const std::string& addr, int id) {
  grpc::ChannelArguments args;
  args.SetInt("dialtone.bench.channel", id);  // a distinct channel (connection) per thread
  return pb::MediaLayer::NewStub(
      grpc::CreateCustomChannel(addr, grpc::InsecureChannelCredentials(), args));
}

bool Call(pb::MediaLayer::Stub& stub, const pb::ResolveRequest& req, pb::ResolveResponse* resp) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  grpc::Status s = stub.Resolve(&ctx, req, resp);
  if (!s.ok()) std::fprintf(stderr, "Resolve: %s\n", s.error_message().c_str());
  return s.ok();
}

// The floor under any unary RPC of this server: gRPC health checks, same client pattern as hits.
void HealthFloor(const std::string& addr, double seconds, int threads) {
  auto check = [&](grpc::health::v1::Health::Stub& stub) {
    grpc::ClientContext ctx;
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse resp;
    return stub.Check(&ctx, req, &resp).ok();
  };
  auto channel = grpc::CreateChannel(addr, grpc::InsecureChannelCredentials());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  std::vector<double> seq;
  Clock::time_point end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(seconds / 3));
  while (Clock::now() < end) {
    Clock::time_point t = Clock::now();
    if (!check(*stub)) return;
    seq.push_back(Us(Clock::now() - t));
  }
  std::atomic<int64_t> calls{0};
  std::vector<std::thread> pool;
  Clock::time_point start = Clock::now();
  end = start +
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds / 2));
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&, i] {
      grpc::ChannelArguments args;
      args.SetInt("dialtone.bench.channel", i);
      auto s = grpc::health::v1::Health::NewStub(
          grpc::CreateCustomChannel(addr, grpc::InsecureChannelCredentials(), args));
      while (Clock::now() < end && check(*s)) ++calls;
    });
  }
  for (auto& t : pool) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("grpc_health_sequential_p50_us %.0f\ngrpc_health_load_per_second %.0f\n",
              Percentile(seq, 0.5), calls / elapsed);
}

int Hit(const std::string& addr, const std::string& url, double seconds, int threads) {
  pb::ResolveRequest req;
  req.set_account_sid(dialtone::core::NewSid("AC"));
  req.set_url(url);
  pb::ResolveResponse resp;
  auto warm = Stub(addr, -1);
  if (!Call(*warm, req, &resp) || !Call(*warm, req, &resp)) return 1;
  if (resp.outcome() != pb::CACHE_OUTCOME_HIT) {
    std::fprintf(stderr, "the second resolve was not a hit\n");
    return 1;
  }
  std::printf("response_bytes %zu\n", resp.ByteSizeLong());
  // One client in sequence: the round trip, comparable with redis-benchmark -c 1.
  std::vector<double> seq;
  Clock::time_point end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(seconds / 3));
  while (Clock::now() < end) {
    Clock::time_point t = Clock::now();
    if (!Call(*warm, req, &resp)) return 1;
    seq.push_back(Us(Clock::now() - t));
  }
  std::printf("hit_sequential_p50_us %.0f\nhit_sequential_p99_us %.0f\n", Percentile(seq, 0.5),
              Percentile(seq, 0.99));
  // Many clients: throughput and latency under load.
  std::atomic<bool> failed{false};
  std::vector<std::vector<double>> lat(threads);
  std::vector<std::thread> pool;
  Clock::time_point start = Clock::now();
  end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&, i] {
      auto stub = Stub(addr, i);
      pb::ResolveResponse r;
      while (Clock::now() < end && !failed) {
        Clock::time_point t = Clock::now();
        if (!Call(*stub, req, &r)) failed = true;
        lat[i].push_back(Us(Clock::now() - t));
      }
    });
  }
  for (auto& t : pool) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
  std::printf(
      "hit_load_threads %d\nhit_load_per_second %.0f\nhit_load_p50_us %.0f\n"
      "hit_load_p99_us %.0f\n",
      threads, all.size() / elapsed, Percentile(all, 0.5), Percentile(all, 0.99));
  HealthFloor(addr, seconds, threads);
  return failed ? 1 : 0;
}

int Miss(const std::string& addr, const std::string& url, int count) {
  auto stub = Stub(addr, 0);
  std::string account = dialtone::core::NewSid("AC");
  std::vector<double> ms;
  for (int i = 0; i < count; ++i) {
    pb::ResolveRequest req;
    req.set_account_sid(account);
    req.set_url(url + (url.find('?') == std::string::npos ? "?" : "&") + "n=" + std::to_string(i));
    pb::ResolveResponse resp;
    Clock::time_point t = Clock::now();
    if (!Call(*stub, req, &resp)) return 1;
    ms.push_back(Us(Clock::now() - t) / 1000);
    if (resp.outcome() != pb::CACHE_OUTCOME_MISS) return 1;
    if (i == 0)
      std::printf("miss_media_duration_ms %lld\n",
                  static_cast<long long>(resp.media().duration_ms()));
  }
  std::printf("miss_p50_ms %.1f\nmiss_max_ms %.1f\n", Percentile(ms, 0.5), Percentile(ms, 1.0));
  return 0;
}

int Tts(const std::string& addr, int chars, int count) {
  auto stub = Stub(addr, 0);
  std::string account = dialtone::core::NewSid("AC");
  const std::string base =
      "Thank you for calling Dialtone. Your call is important to us, and the next available agent "
      "will be with you shortly. Please stay on the line, or press one to leave a message after "
      "the tone. Goodbye and have a very nice day ahead of you. ";
  std::vector<double> ms;
  for (int i = 0; i < count; ++i) {
    std::string text = "Call " + std::to_string(i) + ". " + base;
    text.resize(static_cast<size_t>(chars), ' ');
    pb::ResolveRequest req;
    req.set_account_sid(account);
    req.mutable_speech()->set_text(text);
    req.mutable_speech()->set_voice("Polly.Joanna");
    req.mutable_speech()->set_language("en-US");
    pb::ResolveResponse resp;
    Clock::time_point t = Clock::now();
    if (!Call(*stub, req, &resp)) return 1;
    ms.push_back(Us(Clock::now() - t) / 1000);
    if (i == 0)
      std::printf("tts_speech_duration_ms %lld\n",
                  static_cast<long long>(resp.media().duration_ms()));
  }
  std::printf("tts_%d_chars_p50_ms %.1f\ntts_%d_chars_max_ms %.1f\n", chars, Percentile(ms, 0.5),
              chars, Percentile(ms, 1.0));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.size() == 5 && a[0] == "hit") return Hit(a[1], a[2], std::stod(a[3]), std::stoi(a[4]));
  if (a.size() == 4 && a[0] == "miss") return Miss(a[1], a[2], std::stoi(a[3]));
  if (a.size() == 4 && a[0] == "tts") return Tts(a[1], std::stoi(a[2]), std::stoi(a[3]));
  std::fprintf(stderr,
               "usage: media_layer_bench hit ADDR URL SECONDS THREADS | miss ADDR URL COUNT"
               " | tts ADDR CHARS COUNT\n");
  return 2;
}
