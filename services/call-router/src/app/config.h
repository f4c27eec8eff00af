// call-router's configuration: flags and DIALTONE_* variables, validated at start.
#pragma once

#include <string>

#include "dialtone/config/config_loader.h"
#include "dialtone/service/service_runtime.h"

namespace dialtone::call_router {

struct Config {
  service::CommonConfig common{.grpc_addr = "127.0.0.1:50051", .metrics_addr = "127.0.0.1:9101"};
  std::string pg_url = "postgresql://dialtone@127.0.0.1:15432/dialtone";
  std::string migrations_dir = DIALTONE_DEFAULT_SQL_DIR;
  int sip_port = 5060;
  std::string sip_host = "0.0.0.0";
  std::string media_host;  // written in SDP answers; empty: sip_host (127.0.0.1 for 0.0.0.0)
  // RTP/RTCP port pairs of call legs come from this range (bound on sip_host).
  int rtp_port_min = 20000;
  int rtp_port_max = 29999;
  // NAT mode: a call leg takes RTP from the first source that sends, whatever its SDP says
  // (callers behind NAT whose SDP names a private address). Off: only from the SDP's IP.
  bool rtp_nat = false;
  // The REST API's public address: RecordingUrl values are built on it.
  std::string public_api_url = "http://127.0.0.1:8080";
  // Who may send INVITEs: comma-separated addresses and CIDR blocks; empty: everyone.
  std::string sip_allowed_sources;
  // SIP proxies (Kamailio) whose X-Dialtone-Source header is the caller's address; empty: none.
  std::string sip_trusted_proxies;
  // Digest credentials inbound INVITEs must carry (a trunk that authenticates); empty: none.
  std::string sip_auth_realm = "dialtone";
  std::string sip_auth_username;
  std::string sip_auth_password;
  // Calls to phone numbers go to this SIP trunk ("sip:host:port"); none: only SIP URIs.
  std::string sip_trunk;
  std::string sip_trunk_username;  // digest credentials the trunk asks for, if any
  std::string sip_trunk_password;
  std::string rest_gateway_addr = "127.0.0.1:50053";
  // Call usage waits here while usage-metering is unreachable (one file per process).
  std::string usage_spool = "/tmp/dialtone-call-router-usage.spool";
  std::string media_layer_addr = "127.0.0.1:50052";
  std::string usage_metering_addr = "127.0.0.1:50054";
  // Call ownership across replicas: leases in Redis, refreshed while the call lives.
  std::string redis_url = "redis://127.0.0.1:16379/0";
  // This router's gRPC address as the other replicas reach it; empty: grpc_addr (0.0.0.0 read
  // as 127.0.0.1). In Kubernetes, the pod IP.
  std::string advertise_addr;
  // A router silent this long is dead: another replica ends its calls.
  int call_lease_seconds = 15;
  // On SIGTERM: new calls get 503 and the calls up may last this long before being hung up.
  int drain_seconds = 30;
  // Exceptions to the fetch policy of tenants' URLs (CIDRs, address:port), e.g. 127.0.0.0/8 for a
  // local test app; empty: no inside address may be reached.
  std::string fetch_allow;
  // Media Streams: a PEM file of CAs trusted for wss:// besides the system's (a local CA in
  // tests); empty: the system's alone.
  std::string stream_ca_file;
  // A stream whose app reads too slowly is ended (stream-error) once this much is waiting.
  int stream_buffer_kib = 2048;
};

// Binds every option of `config` to `loader`.
void AddOptions(config::ConfigLoader& loader, Config* config);

}  // namespace dialtone::call_router
