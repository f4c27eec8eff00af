// Load driver of bench/triggers_bench.sh: creates ACCOUNTS x PER_ACCOUNT count triggers on
// "api-requests" (values STEP, 2*STEP, ...), then publishes one event per account per round to
// usage-metering; round r crosses the triggers of value r. Latency of a callback = its arrival
// at the callback server (app_server.py's "t") - the start of the round that crossed it.
//   triggers_bench TRIGGERS_ADDR METERING_ADDR CALLBACK_URL ACCOUNTS PER_ACCOUNT STEP ROUND_MS
#include <curl/curl.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "dialtone/core/sid.h"
#include "dialtone/triggers/v1/triggers.grpc.pb.h"
#include "dialtone/usage/v1/usage_metering.grpc.pb.h"

namespace tpb = dialtone::triggers::v1;
namespace upb = dialtone::usage::v1;

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string HttpGet(const std::string& url) {
  CURL* c = curl_easy_init();
  std::string body;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(
      c, CURLOPT_WRITEFUNCTION, +[](char* d, size_t s, size_t n, void* out) {
        static_cast<std::string*>(out)->append(d, s * n);
        return s * n;
      });
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_perform(c);
  curl_easy_cleanup(c);
  return body;
}

std::string Base(const std::string& callback_url) {
  return callback_url.substr(0, callback_url.find('/', std::string("http://").size()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(
        stderr,
        "usage: %s TRIGGERS_ADDR METERING_ADDR CALLBACK_URL ACCOUNTS PER_ACCOUNT STEP ROUND_MS\n",
        argv[0]);
    return 2;
  }
  std::string triggers_addr = argv[1], metering_addr = argv[2], callback_url = argv[3];
  int accounts = std::atoi(argv[4]), per_account = std::atoi(argv[5]), step = std::atoi(argv[6]);
  int round_ms = std::atoi(argv[7]);
  auto tstub = tpb::Triggers::NewStub(
      grpc::CreateChannel(triggers_addr, grpc::InsecureChannelCredentials()));
  auto ustub = upb::UsageMetering::NewStub(
      grpc::CreateChannel(metering_addr, grpc::InsecureChannelCredentials()));

  std::vector<std::string> sids(accounts);
  for (auto& s : sids) s = dialtone::core::NewSid("AC");
  // Create the triggers from 8 threads.
  double t0 = Now();
  std::atomic<int> next{0}, failed{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 8; ++w) {
    threads.emplace_back([&] {
      for (int i = next++; i < accounts * per_account; i = next++) {
        tpb::CreateTriggerRequest req;
        req.set_account_sid(sids[i / per_account]);
        req.set_usage_category("api-requests");
        req.set_trigger_by(tpb::TRIGGER_BY_COUNT);
        req.set_trigger_value(std::to_string((i % per_account + 1) * step));
        req.set_callback_url(callback_url);
        grpc::ClientContext ctx;
        tpb::UsageTrigger out;
        if (!tstub->CreateTrigger(&ctx, req, &out).ok()) ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  if (failed > 0) {
    std::fprintf(stderr, "%d triggers could not be created\n", failed.load());
    return 1;
  }
  int total = accounts * per_account;
  std::printf("   created %d triggers across %d accounts in %.1f s\n", total, accounts, Now() - t0);

  // The stream: one event per account per round, in batches of 500.
  int rounds = per_account * step;
  std::vector<double> round_start(rounds + 1);
  double stream_start = Now();
  for (int r = 1; r <= rounds; ++r) {
    double start = Now();
    round_start[r] = start;
    for (int a = 0; a < accounts; a += 500) {
      upb::PublishUsageRequest req;
      for (int j = a; j < std::min(accounts, a + 500); ++j) {
        upb::UsageEvent* e = req.add_events();
        e->set_event_id("r" + std::to_string(r));
        e->set_account_sid(sids[j]);
        e->set_category("api-requests");
        e->set_count(1);
        e->set_usage("1");
        auto now = std::chrono::system_clock::now().time_since_epoch();
        e->mutable_time()->set_seconds(
            std::chrono::duration_cast<std::chrono::seconds>(now).count());
      }
      grpc::ClientContext ctx;
      upb::PublishUsageResponse resp;
      grpc::Status s = ustub->PublishUsage(&ctx, req, &resp);
      if (!s.ok()) {
        std::fprintf(stderr, "PublishUsage: %s\n", s.error_message().c_str());
        return 1;
      }
    }
    double left = round_ms / 1000.0 - (Now() - start);
    if (left > 0) std::this_thread::sleep_for(std::chrono::duration<double>(left));
  }
  double stream_seconds = Now() - stream_start;
  std::printf("   stream: %d rounds x %d accounts = %d events in %.1f s (%.0f events/s)\n", rounds,
              accounts, rounds * accounts, stream_seconds, rounds * accounts / stream_seconds);

  // Wait for every callback (at most 60 s).
  std::string base = Base(callback_url);
  double wait_end = Now() + 60;
  while (Now() < wait_end && std::atoi(HttpGet(base + "/_count").c_str()) < total) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  auto requests = boost::json::parse(HttpGet(base + "/_requests")).as_array();
  std::vector<double> latencies;
  std::map<std::string, int> per_trigger;
  for (const auto& r : requests) {
    const auto& o = r.as_object();
    std::string body(o.at("body").as_string());
    auto find = [&](const std::string& name) {
      size_t p = body.find(name + "=");
      if (p == std::string::npos) return std::string();
      p += name.size() + 1;
      return body.substr(p, body.find('&', p) - p);
    };
    ++per_trigger[find("UsageTriggerSid")];
    int value = std::atoi(find("TriggerValue").c_str());
    if (value < 1 || value > rounds) continue;
    latencies.push_back(o.at("t").as_double() - round_start[value]);
  }
  int duplicates = 0;
  for (const auto& [sid, n] : per_trigger) duplicates += n - 1;
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    return latencies.empty()
               ? 0.0
               : latencies[std::min(latencies.size() - 1, size_t(p * latencies.size()))];
  };
  std::printf("   callbacks: %zu of %d (%d duplicates)\n", latencies.size(), total, duplicates);
  std::printf("   event -> callback latency: p50 %.0f ms, p99 %.0f ms, max %.0f ms\n",
              pct(0.50) * 1000, pct(0.99) * 1000, pct(1.0) * 1000);
  std::printf("   stream_seconds=%.3f\n", stream_seconds);
  return latencies.size() == size_t(total) && duplicates == 0 ? 0 : 1;
}
