// call-router options.
#include "app/config.h"

#include "dialtone/http/fetch_policy.h"
#include "sip/sip_access.h"

namespace dialtone::call_router {

void AddOptions(config::ConfigLoader& loader, Config* c) {
  service::AddCommonOptions(loader, &c->common);
  loader.AddString("pg_url", &c->pg_url, "PostgreSQL URL (calls, numbers, applications)",
                   config::CheckUrl({"postgresql", "postgres"}));
  loader.AddString("migrations_dir", &c->migrations_dir, "folder of per-service SQL migrations",
                   config::CheckNotEmpty());
  loader.AddInt("sip_port", &c->sip_port, 1, 65535, "SIP port (UDP and TCP)");
  loader.AddString("sip_host", &c->sip_host, "SIP listen address (IPv4)", config::CheckNotEmpty());
  loader.AddString("media_host", &c->media_host,
                   "address written in SDP answers (default: sip_host, or 127.0.0.1)");
  loader.AddInt("rtp_port_min", &c->rtp_port_min, 1024, 65534, "first RTP port of call legs");
  loader.AddInt("rtp_port_max", &c->rtp_port_max, 1024, 65534, "last RTP port of call legs");
  loader.AddBool("rtp_nat", &c->rtp_nat,
                 "NAT mode: a call leg latches the first RTP source, whatever its SDP says (off: "
                 "only RTP from the SDP's IP address is taken)");
  loader.AddString("public_api_url", &c->public_api_url,
                   "the REST API's public base URL (RecordingUrl is built on it)",
                   config::CheckUrl({"http", "https"}));
  loader.AddString("sip_allowed_sources", &c->sip_allowed_sources,
                   "addresses/CIDR blocks allowed to send INVITEs, comma-separated (empty: all)",
                   [](absl::string_view v) -> std::string {
                     auto list = SourceAllowList::Parse(std::string(v));
                     return list.ok() ? std::string() : std::string(list.status().message());
                   });
  loader.AddString("sip_trusted_proxies", &c->sip_trusted_proxies,
                   "addresses/CIDR blocks of SIP proxies whose X-Dialtone-Source header gives the "
                   "caller address the allow-list judges, comma-separated (empty: none)",
                   [](absl::string_view v) -> std::string {
                     auto list = CallerAddress::Parse(std::string(v));
                     return list.ok() ? std::string() : std::string(list.status().message());
                   });
  loader.AddString("sip_auth_realm", &c->sip_auth_realm, "digest realm for inbound INVITEs",
                   config::CheckNotEmpty());
  loader.AddString("sip_auth_username", &c->sip_auth_username,
                   "digest user name inbound INVITEs must carry (empty: no digest)");
  loader.AddString("sip_auth_password", &c->sip_auth_password,
                   "digest password inbound INVITEs must carry");
  loader.AddString(
      "sip_trunk", &c->sip_trunk,
      "SIP trunk for outbound calls to phone numbers, e.g. sip:trunk.example.com:5060");
  loader.AddString("sip_trunk_username", &c->sip_trunk_username,
                   "digest user name for the SIP trunk");
  loader.AddString("sip_trunk_password", &c->sip_trunk_password,
                   "digest password for the SIP trunk");
  loader.AddString("usage_spool", &c->usage_spool,
                   "spool file for usage events while usage-metering is unreachable",
                   config::CheckNotEmpty());
  loader.AddString("rest_gateway_addr", &c->rest_gateway_addr,
                   "rest-gateway gRPC address (accounts' auth tokens, to sign requests)",
                   config::CheckHostPort());
  loader.AddString("media_layer_addr", &c->media_layer_addr, "media-layer gRPC address",
                   config::CheckHostPort());
  loader.AddString("usage_metering_addr", &c->usage_metering_addr, "usage-metering gRPC address",
                   config::CheckHostPort());
  loader.AddString("redis_url", &c->redis_url, "Redis URL (which router owns each live call)",
                   config::CheckUrl({"redis"}));
  loader.AddString("advertise_addr", &c->advertise_addr,
                   "this router's gRPC host:port as other replicas reach it (default: grpc_addr)",
                   [](absl::string_view v) -> std::string {
                     return v.empty() ? std::string() : config::CheckHostPort()(v);
                   });
  loader.AddInt("call_lease_seconds", &c->call_lease_seconds, 3, 600,
                "a router silent this long is dead and another ends its calls");
  loader.AddString("fetch_allow", &c->fetch_allow,
                   "inside addresses applications' URLs may reach anyway (CIDRs, address:port)",
                   http::CheckFetchAllow);
  loader.AddString("stream_ca_file", &c->stream_ca_file,
                   "PEM file of CAs trusted for media streams' wss:// URLs besides the system's");
  loader.AddInt("stream_buffer_kib", &c->stream_buffer_kib, 64, 65536,
                "a media stream whose app reads too slowly ends once this much is waiting (KiB)");
  loader.AddInt("drain_seconds", &c->drain_seconds, 0, 86400,
                "on SIGTERM, how long calls in progress may last before being hung up");
}

}  // namespace dialtone::call_router
