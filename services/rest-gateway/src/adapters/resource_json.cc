// Reflection-driven proto <-> Twilio JSON / form mapping.
#include "adapters/resource_json.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/timestamp.pb.h>

#include <algorithm>
#include <boost/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "dialtone/rpc/status.h"
#include "dialtone/rpc/twilio_enum.h"

namespace dialtone::rest_gateway {
namespace {

namespace gp = google::protobuf;

bool IsTimestamp(const gp::FieldDescriptor* f) {
  return f->cpp_type() == gp::FieldDescriptor::CPPTYPE_MESSAGE &&
         f->message_type()->full_name() == "google.protobuf.Timestamp";
}

}  // namespace

std::string ParamToField(const std::string& param) {
  std::string out;
  for (size_t i = 0; i < param.size(); ++i) {
    char c = param[i];
    if (absl::ascii_isupper(static_cast<unsigned char>(c)) && i > 0) out += '_';
    out += absl::ascii_tolower(static_cast<unsigned char>(c));
  }
  return out;
}

boost::json::object MessageToJson(const gp::Message& m, const std::vector<std::string>& drop) {
  boost::json::object o;
  const gp::Descriptor* d = m.GetDescriptor();
  const gp::Reflection* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const gp::FieldDescriptor* f = d->field(i);
    if (f->is_repeated() || std::find(drop.begin(), drop.end(), f->name()) != drop.end()) continue;
    boost::json::value v;
    if (f->has_presence() && !r->HasField(m, f)) {
      v = nullptr;
    } else {
      switch (f->cpp_type()) {
        case gp::FieldDescriptor::CPPTYPE_STRING: v = r->GetString(m, f); break;
        case gp::FieldDescriptor::CPPTYPE_BOOL: v = r->GetBool(m, f); break;
        case gp::FieldDescriptor::CPPTYPE_INT32: v = r->GetInt32(m, f); break;
        case gp::FieldDescriptor::CPPTYPE_INT64: v = r->GetInt64(m, f); break;
        case gp::FieldDescriptor::CPPTYPE_ENUM: {
          const auto* ev = r->GetEnum(m, f);
          if (ev->number() == 0 && f->enum_type()->name() != "HttpMethod") {
            v = nullptr;
          } else {
            v = rpc::TwilioEnumText(ev);
          }
          break;
        }
        case gp::FieldDescriptor::CPPTYPE_MESSAGE:
          if (IsTimestamp(f)) {
            const auto& ts = static_cast<const gp::Timestamp&>(r->GetMessage(m, f));
            absl::Time t = rpc::FromProto(ts);
            v = absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", t, absl::UTCTimeZone());
          }
          break;
        default: break;
      }
    }
    o[f->name()] = std::move(v);
  }
  return o;
}

absl::Status FormToMessage(const std::vector<std::pair<std::string, std::string>>& params,
                           const std::vector<std::string>& immutable, gp::Message* m,
                           std::vector<std::string>* set_fields) {
  const gp::Descriptor* d = m->GetDescriptor();
  const gp::Reflection* r = m->GetReflection();
  for (const auto& [param, value] : params) {
    std::string field = ParamToField(param);
    const gp::FieldDescriptor* f = d->FindFieldByName(field);
    if (f == nullptr || f->is_repeated() || f->cpp_type() == gp::FieldDescriptor::CPPTYPE_MESSAGE ||
        field == "sid" || field == "account_sid" || field == "api_version") {
      continue;
    }
    if (std::find(immutable.begin(), immutable.end(), field) != immutable.end()) {
      return absl::InvalidArgumentError(absl::StrCat(param, " cannot be changed"));
    }
    switch (f->cpp_type()) {
      case gp::FieldDescriptor::CPPTYPE_STRING: r->SetString(m, f, value); break;
      case gp::FieldDescriptor::CPPTYPE_BOOL: {
        std::string lower = absl::AsciiStrToLower(value);
        if (lower != "true" && lower != "false") {
          return absl::InvalidArgumentError(absl::StrCat(param, " must be true or false"));
        }
        r->SetBool(m, f, lower == "true");
        break;
      }
      case gp::FieldDescriptor::CPPTYPE_ENUM: {
        std::string upper = absl::AsciiStrToUpper(value);
        if (f->enum_type()->name() != "HttpMethod" || (upper != "GET" && upper != "POST")) {
          return absl::InvalidArgumentError(absl::StrCat(param, " must be GET or POST"));
        }
        r->SetEnumValue(m, f, upper == "GET" ? 1 : 2);
        break;
      }
      default: continue;
    }
    set_fields->push_back(field);
  }
  return absl::OkStatus();
}

void NullIfEmpty(boost::json::object& o, std::initializer_list<const char*> fields) {
  for (const char* f : fields) {
    auto it = o.find(f);
    if (it != o.end() && it->value().is_string() && it->value().as_string().empty()) {
      it->value() = nullptr;
    }
  }
}

}  // namespace dialtone::rest_gateway
