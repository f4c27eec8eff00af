// RecordingResources: Recordings (also under Calls/{CallSid}/Recordings) list, fetch and delete,
// and their audio as .wav and .mp3 from the media layer.
#include "adapters/recording_resources.h"

#include <boost/json.hpp>

#include "absl/strings/match.h"
#include "adapters/api_response.h"
#include "adapters/recording_audio.h"
#include "adapters/request_context.h"
#include "adapters/resource_json.h"
#include "dialtone/audio/audio.h"

namespace dialtone::rest_gateway {
namespace {

namespace pb = dialtone::callrouter::v1;
namespace http = boost::beast::http;

std::string HostOf(const web::HttpServer::Request& req) {
  auto it = req.find(http::field::host);
  return it == req.end() ? std::string("127.0.0.1") : std::string(it->value());
}

// `host` is the request's Host: media_url is this API's address of the audio, as Twilio's is.
boost::json::object RecordingJson(const pb::Recording& r, const std::string& host) {
  auto o = MessageToJson(r, {"media_sid", "track"});
  std::string base = AccountBase(r.account_sid()) + "/Recordings/" + r.sid();
  o["encryption_details"] = nullptr;
  o["api_version"] = "2010-04-01";
  if (r.conference_sid().empty()) o["conference_sid"] = nullptr;
  o["media_url"] = r.media_sid().empty() ? boost::json::value(nullptr)
                                         : boost::json::value("http://" + host + base);
  o["uri"] = base + ".json";
  o["subresource_uris"] = {{"add_on_results", base + "/AddOnResults.json"},
                           {"transcriptions", base + "/Transcriptions.json"}};
  if (r.price_unit().empty()) o["price_unit"] = "USD";
  if (r.has_duration()) o["duration"] = std::to_string(r.duration());
  return o;
}

}  // namespace

RecordingResources::RecordingResources(std::shared_ptr<grpc::ChannelInterface> call_router,
                                       std::shared_ptr<grpc::ChannelInterface> media)
    : stub_(pb::CallRouter::NewStub(call_router)), media_(media::v1::MediaLayer::NewStub(media)) {}

std::optional<web::HttpServer::Response> RecordingResources::Handle(
    const web::HttpServer::Request& req, const ApiRoute& route) {
  const auto& r = route.resource;
  if (r.empty()) return std::nullopt;
  if (r[0] == "Calls" && r.size() == 3 && r[2] == "Recordings") return Serve(req, route, r[1]);
  if (r[0] == "Recordings" && r.size() <= 2) return Serve(req, route, "");
  return std::nullopt;
}

web::HttpServer::Response RecordingResources::Serve(const web::HttpServer::Request& req,
                                                    const ApiRoute& route,
                                                    const std::string& call_sid) {
  RequestContext c(req, route);
  const std::string& account = route.account_sid;
  bool item = call_sid.empty() && route.resource.size() == 2;
  if (!item && req.method() == http::verb::get) {
    pb::ListRecordingsRequest in;
    in.set_account_sid(account);
    in.set_call_sid(call_sid.empty() ? c.Query("CallSid") : call_sid);
    if (auto e = c.ReadPage(in.mutable_page())) return c.Error(*e);
    pb::ListRecordingsResponse out;
    auto s = stub_->ListRecordings(RequestContext::Deadline().get(), in, &out);
    if (!s.ok()) return c.Fail(s);
    boost::json::array items;
    for (const auto& r : out.recordings()) items.push_back(RecordingJson(r, HostOf(req)));
    std::string list_path = call_sid.empty() ? c.Base() + "/Recordings.json"
                                             : c.Base() + "/Calls/" + call_sid + "/Recordings.json";
    return ListReply(c.format(), "recordings", "Recordings", "Recording",
                     PageEnvelope(list_path, "recordings", std::move(items), c.query(),
                                  SpecOf(in.page()), out.page().next_page_token()));
  }
  if (!item) return c.Error(MethodNotAllowedError());
  const std::string& sid = route.resource[1];
  for (const char* ext : {".wav", ".mp3"}) {
    if (absl::EndsWith(sid, ext) && req.method() == http::verb::get) {
      return Audio(req, route, sid.substr(0, sid.size() - 4), std::string(ext) == ".mp3");
    }
  }
  if (req.method() == http::verb::get) {
    pb::GetRecordingRequest in;
    in.set_account_sid(account);
    in.set_sid(sid);
    pb::Recording out;
    auto s = stub_->GetRecording(RequestContext::Deadline().get(), in, &out);
    if (!s.ok()) return c.Fail(s);
    return ResourceReply(200, c.format(), "Recording", RecordingJson(out, HostOf(req)));
  }
  if (req.method() == http::verb::delete_) {
    pb::DeleteRecordingRequest in;
    in.set_account_sid(account);
    in.set_sid(sid);
    pb::DeleteRecordingResponse out;
    auto s = stub_->DeleteRecording(RequestContext::Deadline().get(), in, &out);
    if (!s.ok()) return c.Fail(s);
    return NoContent();
  }
  return c.Error(MethodNotAllowedError());
}

web::HttpServer::Response RecordingResources::Audio(const web::HttpServer::Request& req,
                                                    const ApiRoute& route, const std::string& sid,
                                                    bool mp3) {
  RequestContext c(req, route);
  pb::GetRecordingRequest in;
  in.set_account_sid(route.account_sid);
  in.set_sid(sid);
  pb::Recording recording;
  auto s = stub_->GetRecording(RequestContext::Deadline().get(), in, &recording);
  if (!s.ok()) return c.Fail(s);
  if (recording.media_sid().empty()) {
    return c.Error({404, 20404, "The recording has no audio (yet)"});
  }
  media::v1::ReadMediaRequest read;
  read.set_account_sid(route.account_sid);
  read.set_media_sid(recording.media_sid());
  auto ctx = RequestContext::Deadline();
  auto reader = media_->ReadMedia(ctx.get(), read);
  media::v1::MediaChunk chunk;
  std::string bytes;
  bool alaw = false;
  bool first = true;
  while (reader->Read(&chunk)) {
    if (first) alaw = chunk.codec() == media::v1::CODEC_PCMA;
    first = false;
    bytes += chunk.data();
  }
  if (auto st = reader->Finish(); !st.ok()) return c.Fail(st);
  const std::vector<int16_t> samples =
      audio::DecodeG711(bytes, alaw ? audio::G711::kAlaw : audio::G711::kUlaw);
  web::HttpServer::Response res{http::status::ok, req.version()};
  if (mp3) {
    auto encoded = Mp3(samples);
    if (!encoded.ok()) return c.Error({500, 20500, std::string(encoded.status().message())});
    res.set(http::field::content_type, "audio/mpeg");
    res.body() = *std::move(encoded);
  } else {
    res.set(http::field::content_type, "audio/x-wav");
    res.body() = audio::PcmWav(samples);
  }
  res.prepare_payload();
  return res;
}

}  // namespace dialtone::rest_gateway
