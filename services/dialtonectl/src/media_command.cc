// `dialtonectl media resolve URL|--say TEXT`: resolve a media request over gRPC, print JSON.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <iostream>

#include "cli_args.h"
#include "cli_output.h"
#include "commands.h"
#include "dialtone/media/v1/media_layer.grpc.pb.h"
#include "dialtone/rpc/status.h"

namespace dialtone::ctl {
namespace {

namespace pb = dialtone::media::v1;

constexpr char kUsage[] =
    "usage: dialtonectl media resolve URL|--say TEXT [--voice V --language L]\n"
    "                                 [--codec pcmu|pcma] [--account SID]\n"
    "  --account SID     default $DIALTONE_ACCOUNT_SID or AC000...0 (an operator's scratch "
    "account)\n"
    "  --addr HOST:PORT  media-layer gRPC (default $DIALTONE_MEDIA_LAYER_ADDR or "
    "127.0.0.1:50052)\n";

int Usage(const std::string& problem = {}) {
  if (!problem.empty()) std::cerr << "error: " << problem << "\n";
  std::cerr << kUsage;
  return 2;
}

std::string Env(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v ? v : fallback;
}

}  // namespace

int RunMedia(const std::vector<std::string>& raw) {
  auto args = ParseCliArgs(raw);
  if (!args.ok() || args->positional.empty() || args->positional[0] != "resolve") return Usage();
  pb::ResolveRequest req;
  req.set_account_sid(
      args->GetOr("account", Env("DIALTONE_ACCOUNT_SID", "AC00000000000000000000000000000000")));
  if (auto text = args->Get("say")) {
    if (args->positional.size() != 1) return Usage("give either a URL or --say");
    req.mutable_speech()->set_text(*text);
    req.mutable_speech()->set_voice(args->GetOr("voice", ""));
    req.mutable_speech()->set_language(args->GetOr("language", ""));
  } else if (args->positional.size() == 2) {
    req.set_url(args->positional[1]);
  } else {
    return Usage("give a URL or --say TEXT");
  }
  std::string codec = args->GetOr("codec", "pcmu");
  if (codec == "pcmu")
    req.set_codec(pb::CODEC_PCMU);
  else if (codec == "pcma")
    req.set_codec(pb::CODEC_PCMA);
  else
    return Usage("--codec must be pcmu or pcma");

  std::string addr = args->GetOr("addr", Env("DIALTONE_MEDIA_LAYER_ADDR", "127.0.0.1:50052"));
  auto channel = ServiceChannelOrPrint(addr);
  if (channel == nullptr) return 2;
  auto stub = pb::MediaLayer::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  pb::ResolveResponse resp;
  grpc::Status s = stub->Resolve(&ctx, req, &resp);
  if (!s.ok()) {
    std::cerr << "error: " << s.error_message() << " (gRPC code " << s.error_code() << ")\n";
    if (int code = rpc::TwilioCodeOf(s); code != 0) {
      std::cerr << "twilio error " << code << ": https://www.twilio.com/docs/errors/" << code
                << "\n";
    }
    return 1;
  }
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  opts.add_whitespace = true;
  opts.preserve_proto_field_names = true;
  opts.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(resp, &out, opts);
  std::cout << out;
  return 0;
}

}  // namespace dialtone::ctl
