// rest-gateway options.
#include "app/config.h"

#include "absl/strings/str_cat.h"

namespace dialtone::rest_gateway {

void AddOptions(config::ConfigLoader& loader, Config* c) {
  service::AddCommonOptions(loader, &c->common);
  loader.AddString("pg_url", &c->pg_url, "PostgreSQL URL (accounts)",
                   config::CheckUrl({"postgresql", "postgres"}));
  loader.AddString("migrations_dir", &c->migrations_dir, "folder of per-service SQL migrations",
                   config::CheckNotEmpty());
  loader.AddString("http_addr", &c->http_addr, "public REST listen address",
                   config::CheckHostPort());
  loader.AddString("call_router_addr", &c->call_router_addr, "call-router gRPC address",
                   config::CheckHostPort());
  loader.AddString("media_layer_addr", &c->media_layer_addr, "media-layer gRPC address",
                   config::CheckHostPort());
  loader.AddString("usage_metering_addr", &c->usage_metering_addr, "usage-metering gRPC address",
                   config::CheckHostPort());
  loader.AddString("triggers_addr", &c->triggers_addr, "triggers gRPC address",
                   config::CheckHostPort());
  loader.AddInt("http_threads", &c->http_threads, 1, 256, "REST server threads");
  loader.AddInt("max_concurrent_requests", &c->max_concurrent_requests, 1, 100000,
                "REST requests one account may have in progress at once");
  loader.AddString("usage_spool", &c->usage_spool,
                   "spool file for usage events while usage-metering is unreachable",
                   config::CheckNotEmpty());
  // No check here: the loader's messages quote the value, and this one must never be printed.
  loader.AddString("secrets_key", &c->secrets_key,
                   "key sealing auth tokens at rest: 32 bytes, base64 (openssl rand -base64 32)");
  loader.AddBool("secrets_plaintext", &c->secrets_plaintext,
                 "store auth tokens unencrypted when no secrets_key is set (development only)");
}

absl::StatusOr<std::optional<secrets::Sealer>> TokenSealer(const Config& c) {
  if (c.secrets_key.empty()) {
    if (c.secrets_plaintext) return std::nullopt;
    return absl::InvalidArgumentError(
        "rest-gateway: DIALTONE_SECRETS_KEY is not set. It encrypts the auth tokens stored in "
        "PostgreSQL: 32 random bytes in base64, e.g. from `openssl rand -base64 32`, the same "
        "on every rest-gateway and kept for as long as the database. To store tokens in "
        "plaintext instead (development only), set DIALTONE_SECRETS_PLAINTEXT=true.");
  }
  if (c.secrets_plaintext) {
    return absl::InvalidArgumentError(
        "rest-gateway: DIALTONE_SECRETS_KEY and DIALTONE_SECRETS_PLAINTEXT=true are both set: "
        "set one of them");
  }
  auto sealer = secrets::Sealer::FromBase64Key(c.secrets_key);
  if (!sealer.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "rest-gateway: DIALTONE_SECRETS_KEY is malformed: ", sealer.status().message()));
  }
  return std::optional<secrets::Sealer>(*std::move(sealer));
}

}  // namespace dialtone::rest_gateway
