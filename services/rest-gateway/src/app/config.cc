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
  AccountSettings& d = c->account_defaults;
  loader.AddBool("recording_media_auth", &d.media_http_auth,
                 "recording media needs the account's credentials unless the account says no");
  loader.AddInt("limit_calls_per_second", &d.calls_per_second, 0, 100000,
                "new calls per second per account, inbound and API together (0: none)");
  loader.AddInt("limit_concurrent_calls", &d.max_concurrent_calls, 0, 1000000,
                "calls one account may have up at once (0: none)");
  loader.AddInt("limit_call_seconds", &d.max_call_seconds, 0, 86400,
                "the longest a call may last, seconds (0: none)");
  loader.AddInt("limit_quiet_steps", &d.max_quiet_steps, 0, 100000,
                "TwiML documents in a row without audio or input before the call ends (0: none)");
  loader.AddInt("limit_api_requests_per_second", &d.api_requests_per_second, 0, 100000,
                "REST API requests per second per account (0: none)");
  loader.AddString("redis_url", &c->redis_url, "Redis URL (API request rates)",
                   config::CheckUrl({"redis"}));
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
