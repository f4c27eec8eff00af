// Load driver for bench/usage_metering_bench.sh: P publishers (UsagePublisher instances) send
// N events each to a running usage-metering, then the totals are checked to be exact.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "dialtone/core/sid.h"
#include "dialtone/rpc/status.h"
#include "dialtone/rpc/tls_config.h"
#include "dialtone/usage/v1/usage_metering.grpc.pb.h"
#include "dialtone/usage_publisher/usage_publisher.h"

namespace pb = dialtone::usage::v1;
using dialtone::usage_publisher::MakeGrpcUsageTransport;
using dialtone::usage_publisher::UsagePublisher;

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr,
                 "usage: usage_metering_bench ADDR PUBLISHERS EVENTS_EACH SPOOL_DIR [ACCOUNTS]\n");
    return 2;
  }
  std::string addr = argv[1];
  int publishers = std::atoi(argv[2]);
  int events = std::atoi(argv[3]);
  std::string dir = argv[4];
  int accounts_n = argc > 5 ? std::atoi(argv[5]) : 8;
  std::vector<std::string> accounts;
  for (int i = 0; i < accounts_n; ++i) accounts.push_back(dialtone::core::NewSid("AC"));
  std::string run = dialtone::core::RandomHex(4);

  std::vector<std::unique_ptr<UsagePublisher>> pubs;
  for (int p = 0; p < publishers; ++p) {
    std::string spool = dir + "/pub" + std::to_string(p) + ".spool";
    std::filesystem::remove(spool);
    auto pub = UsagePublisher::Create(
        {.spool_path = spool, .batch_size = 1000, .flush_interval = absl::Milliseconds(20)},
        MakeGrpcUsageTransport(addr, {}, absl::Seconds(10)));
    if (!pub.ok()) {
      std::fprintf(stderr, "%s\n", pub.status().ToString().c_str());
      return 1;
    }
    pubs.push_back(std::move(*pub));
  }
  absl::Time t = absl::Now();
  absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int p = 0; p < publishers; ++p) {
    threads.emplace_back([&, p] {
      for (int i = 0; i < events; ++i) {
        pb::UsageEvent e;
        // Every publisher sends its own ids plus, for 10%, ids another publisher also sends.
        int id = i % 10 == 0 ? i : p * events + i;
        e.set_event_id(run + "-" + std::to_string(id));
        e.set_account_sid(accounts[id % accounts.size()]);
        e.set_category("calls-inbound");
        e.set_count(1);
        e.set_usage("1.5");
        e.set_price("0.0085");
        dialtone::rpc::ToProto(t, e.mutable_time());
        pubs[p]->Publish(std::move(e));
      }
      pubs[p]->Flush(absl::Seconds(120));
    });
  }
  for (auto& th : threads) th.join();
  double secs = absl::ToDoubleSeconds(absl::Now() - start);
  int64_t published = int64_t(publishers) * events;
  // Distinct ids: the shared 10% count once.
  int64_t shared = (events + 9) / 10;
  int64_t distinct = published - int64_t(publishers - 1) * shared;

  auto stub =
      pb::UsageMetering::NewStub(grpc::CreateChannel(addr, grpc::InsecureChannelCredentials()));
  int64_t counted = 0;
  for (const auto& a : accounts) {
    grpc::ClientContext ctx;
    pb::GetCountersRequest req;
    req.set_account_sid(a);
    req.set_category("calls");
    dialtone::rpc::ToProto(t, req.mutable_at());
    pb::GetCountersResponse resp;
    if (!stub->GetCounters(&ctx, req, &resp).ok()) return 1;
    for (const auto& per : resp.periods()) {
      if (per.period() == "alltime") counted += std::atoll(per.count().c_str());
    }
  }
  std::printf("publishers=%d events_published=%lld distinct=%lld counted=%lld exact=%s\n",
              publishers, (long long)published, (long long)distinct, (long long)counted,
              counted == distinct ? "yes" : "NO");
  std::printf("seconds=%.2f published_events_per_s=%.0f counted_events_per_s=%.0f\n", secs,
              published / secs, distinct / secs);
  return counted == distinct ? 0 : 1;
}
