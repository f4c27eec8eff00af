// ProtoTable: generic row <-> message mapping through protobuf reflection.
#include "api/proto_table.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/timestamp.pb.h>

#include <algorithm>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "dialtone/rpc/status.h"
#include "dialtone/rpc/twilio_enum.h"

namespace dialtone::call_router {
namespace {

namespace gp = google::protobuf;

bool IsHttpMethod(const gp::EnumDescriptor* e) { return e->name() == "HttpMethod"; }

// Stored text: Twilio's; UNSPECIFIED of any other enum than HttpMethod is an empty string.
std::string EnumToText(const gp::EnumValueDescriptor* v) {
  if (v->number() == 0 && !IsHttpMethod(v->type())) return "";
  return rpc::TwilioEnumText(v);
}

const gp::EnumValueDescriptor* TextToEnum(const gp::EnumDescriptor* e, const std::string& text) {
  for (int i = 0; i < e->value_count(); ++i) {
    if (EnumToText(e->value(i)) == text && !(IsHttpMethod(e) && e->value(i)->number() == 0)) {
      return e->value(i);
    }
  }
  return e->FindValueByNumber(0);
}

std::string ValueText(const gp::Message& m, const gp::FieldDescriptor* f) {
  const gp::Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    case gp::FieldDescriptor::CPPTYPE_STRING: return r->GetString(m, f);
    case gp::FieldDescriptor::CPPTYPE_BOOL: return r->GetBool(m, f) ? "true" : "false";
    case gp::FieldDescriptor::CPPTYPE_ENUM: return EnumToText(r->GetEnum(m, f));
    case gp::FieldDescriptor::CPPTYPE_INT32: return std::to_string(r->GetInt32(m, f));
    case gp::FieldDescriptor::CPPTYPE_INT64: return std::to_string(r->GetInt64(m, f));
    default: return "";
  }
}

void SetFromText(gp::Message* m, const gp::FieldDescriptor* f, const pqxx::field& value) {
  const gp::Reflection* r = m->GetReflection();
  if (value.is_null()) return;  // unset: optional fields stay absent (null on the API)
  std::string text = value.as<std::string>();
  switch (f->cpp_type()) {
    case gp::FieldDescriptor::CPPTYPE_STRING: r->SetString(m, f, text); break;
    case gp::FieldDescriptor::CPPTYPE_BOOL: r->SetBool(m, f, text == "t" || text == "true"); break;
    case gp::FieldDescriptor::CPPTYPE_ENUM:
      r->SetEnum(m, f, TextToEnum(f->enum_type(), text));
      break;
    case gp::FieldDescriptor::CPPTYPE_INT32: r->SetInt32(m, f, value.as<int32_t>()); break;
    case gp::FieldDescriptor::CPPTYPE_INT64: r->SetInt64(m, f, value.as<int64_t>()); break;
    case gp::FieldDescriptor::CPPTYPE_MESSAGE: {
      // Timestamps arrive as epoch microseconds (see SelectList).
      auto* ts = static_cast<gp::Timestamp*>(r->MutableMessage(m, f));
      rpc::ToProto(absl::FromUnixMicros(value.as<int64_t>()), ts);
      break;
    }
    default: break;
  }
}

bool IsTimestamp(const gp::FieldDescriptor* f) {
  return f->cpp_type() == gp::FieldDescriptor::CPPTYPE_MESSAGE &&
         f->message_type()->full_name() == "google.protobuf.Timestamp";
}

}  // namespace

std::string ProtoTable::EnumText(const gp::EnumValueDescriptor* value) { return EnumToText(value); }

ProtoTable::ProtoTable(pg::PgPool& pool, TableSpec spec, const gp::Descriptor* descriptor)
    : pool_(pool), spec_(std::move(spec)), descriptor_(descriptor) {
  std::vector<std::string> names = {"sid", "account_sid", "date_created", "date_updated"};
  names.insert(names.end(), spec_.fields.begin(), spec_.fields.end());
  names.insert(names.end(), spec_.read_only.begin(), spec_.read_only.end());
  for (const auto& n : names) {
    const gp::FieldDescriptor* f = descriptor_->FindFieldByName(n);
    // A misspelt field in a TableSpec is a programming error in this service, found by tests.
    if (f == nullptr) throw std::logic_error(absl::StrCat(descriptor_->name(), " has no ", n));
    columns_.push_back(f);
  }
}

void ProtoTable::FillRow(const pqxx::row& row, gp::Message* out) const {
  for (size_t i = 0; i < columns_.size(); ++i)
    SetFromText(out, columns_[i], row[static_cast<int>(i)]);
}

absl::Status ProtoTable::NotFound(const std::string& sid) const {
  return absl::NotFoundError(
      absl::StrCat("The requested resource ", spec_.resource_name, " ", sid, " was not found"));
}

std::string ProtoTable::Column(const std::string& field) const {
  auto it = spec_.renamed.find(field);
  return it == spec_.renamed.end() ? field : it->second;
}

std::string ProtoTable::SelectList() const {
  std::vector<std::string> cols;
  for (const auto* f : columns_) {
    std::string c = Column(f->name());
    cols.push_back(IsTimestamp(f) ? absl::StrCat("(extract(epoch from ", c, ") * 1000000)::bigint")
                                  : absl::StrCat(c, "::text"));
  }
  return absl::StrJoin(cols, ", ");
}

std::string ProtoTable::Placeholder(const std::string& field, int index) const {
  std::string p = absl::StrCat("$", index);
  if (spec_.null_if_empty.count(field)) return absl::StrCat("nullif(", p, ", '')");
  return p;
}

absl::Status ProtoTable::Insert(gp::Message* row) {
  std::vector<std::string> cols = {"sid", "account_sid"};
  std::vector<std::string> marks = {"$1", "$2"};
  std::vector<std::string> values = {ValueText(*row, columns_[0]), ValueText(*row, columns_[1])};
  for (const auto& field : spec_.fields) {
    const gp::FieldDescriptor* f = descriptor_->FindFieldByName(field);
    if (IsTimestamp(f)) continue;
    cols.push_back(Column(field));
    values.push_back(ValueText(*row, f));
    marks.push_back(Placeholder(field, static_cast<int>(values.size())));
  }
  std::string sql =
      absl::StrCat("insert into ", spec_.table, " (", absl::StrJoin(cols, ", "), ") values (",
                   absl::StrJoin(marks, ", "), ") returning ", SelectList());
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    pqxx::row r = tx.exec_params1(sql, pqxx::prepare::make_dynamic_params(values));
    tx.commit();
    FillRow(r, row);
    return absl::OkStatus();
  });
}

absl::Status ProtoTable::Get(const std::string& account_sid, const std::string& sid,
                             gp::Message* out) {
  bool found = false;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(absl::StrCat("select ", SelectList(), " from ", spec_.table,
                                            " where account_sid = $1 and sid = $2"),
                               account_sid, sid);
    if (!rows.empty()) {
      found = true;
      FillRow(rows[0], out);
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!found) return NotFound(sid);
  return absl::OkStatus();
}

absl::Status ProtoTable::List(const ListQuery& q, const std::function<gp::Message*()>& add,
                              std::string* next_after_sid) {
  std::vector<std::string> where = {"account_sid = $1"};
  std::vector<std::string> values = {q.account_sid};
  for (const auto& [field, value] : q.equals) {
    values.push_back(value);
    where.push_back(absl::StrCat(Column(field), "::text = $", values.size()));
  }
  for (const auto& [field, value] : q.contains) {
    values.push_back(value);
    where.push_back(absl::StrCat("strpos(", Column(field), ", $", values.size(), ") > 0"));
  }
  for (const auto& [field, value] : q.at_least) {
    values.push_back(value);
    where.push_back(absl::StrCat(Column(field), " >= $", values.size(), "::timestamptz"));
  }
  for (const auto& [field, value] : q.at_most) {
    values.push_back(value);
    where.push_back(absl::StrCat(Column(field), " <= $", values.size(), "::timestamptz"));
  }
  std::string cmp = q.newest_first ? "<" : ">";
  std::string dir = q.newest_first ? "desc" : "asc";
  if (!q.after_sid.empty()) {
    values.push_back(q.after_sid);
    where.push_back(absl::StrCat("(date_created, sid) ", cmp, " (select date_created, sid from ",
                                 spec_.table, " where sid = $", values.size(), ")"));
  }
  std::string sql = absl::StrCat("select ", SelectList(), " from ", spec_.table, " where ",
                                 absl::StrJoin(where, " and "), " order by date_created ", dir,
                                 ", sid ", dir, " limit ", q.page_size + 1);
  next_after_sid->clear();
  return pool_.Run([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    auto rows = tx.exec_params(sql, pqxx::prepare::make_dynamic_params(values));
    int n = 0;
    for (const auto& row : rows) {
      if (n == q.page_size) {
        break;
      }
      gp::Message* m = add();
      FillRow(row, m);
      if (++n == q.page_size && static_cast<int>(rows.size()) > q.page_size) {
        *next_after_sid = row[0].as<std::string>();
      }
    }
    return absl::OkStatus();
  });
}

absl::Status ProtoTable::Update(const std::string& account_sid, const std::string& sid,
                                const gp::Message& values_msg,
                                const std::vector<std::string>& fields, gp::Message* out) {
  std::vector<std::string> sets;
  std::vector<std::string> values = {account_sid, sid};
  for (const auto& field : fields) {
    if (std::find(spec_.fields.begin(), spec_.fields.end(), field) == spec_.fields.end()) {
      return absl::InvalidArgumentError(absl::StrCat("field ", field, " cannot be updated"));
    }
    values.push_back(ValueText(values_msg, descriptor_->FindFieldByName(field)));
    sets.push_back(
        absl::StrCat(Column(field), " = ", Placeholder(field, static_cast<int>(values.size()))));
  }
  sets.push_back("date_updated = now()");
  std::string sql = absl::StrCat("update ", spec_.table, " set ", absl::StrJoin(sets, ", "),
                                 " where account_sid = $1 and sid = $2 returning ", SelectList());
  bool found = false;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto rows = tx.exec_params(sql, pqxx::prepare::make_dynamic_params(values));
    tx.commit();
    if (!rows.empty()) {
      found = true;
      FillRow(rows[0], out);
    }
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (!found) return NotFound(sid);
  return absl::OkStatus();
}

absl::Status ProtoTable::Delete(const std::string& account_sid, const std::string& sid) {
  int affected = 0;
  absl::Status s = pool_.Run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_params(
        absl::StrCat("delete from ", spec_.table, " where account_sid = $1 and sid = $2"),
        account_sid, sid);
    tx.commit();
    affected = static_cast<int>(r.affected_rows());
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  if (affected == 0) return NotFound(sid);
  return absl::OkStatus();
}

}  // namespace dialtone::call_router
