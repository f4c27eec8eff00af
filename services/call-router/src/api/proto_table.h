// CRUD on one PostgreSQL table whose columns are fields of one protobuf message (a Twilio
// resource as the CallRouter contract defines it). Rows are always scoped by account, so one
// account never reads or changes another's.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "dialtone/pg/pg_pool.h"

namespace pqxx {
class row;
}

namespace dialtone::call_router {

// Which fields are columns. `sid`, `account_sid`, `date_created` and `date_updated` are
// always columns; the listed fields follow (column name = field name unless renamed).
struct TableSpec {
  std::string table;
  std::string resource_name;                   // "Application", for NotFound messages
  std::vector<std::string> fields;             // writable columns
  std::map<std::string, std::string> renamed;  // field -> column ("to" -> "to_number")
  std::set<std::string> null_if_empty;         // empty string stored as NULL (foreign keys)
  std::vector<std::string> read_only;          // read but never written by Insert/Update
};

// Thread-safe (the pool is). Enums are stored as text: HttpMethod as GET/POST, others as the
// value name without its prefix, lowercase, '_' -> '-' (CALL_STATUS_IN_PROGRESS -> in-progress).
//
//   ProtoTable apps(pool, {.table = "applications", .fields = {"friendly_name", "voice_url"}},
//                   Application::descriptor());
//   apps.Insert(app);
class ProtoTable {
 public:
  // The text an enum value is stored as (for filters on enum columns).
  static std::string EnumText(const google::protobuf::EnumValueDescriptor* value);

  ProtoTable(pg::PgPool& pool, TableSpec spec, const google::protobuf::Descriptor* descriptor);

  // `row` must have sid and account_sid set; dates are set by the database and copied back.
  absl::Status Insert(google::protobuf::Message* row);
  // NotFound when the account has no such row.
  absl::Status Get(const std::string& account_sid, const std::string& sid,
                   google::protobuf::Message* out);

  struct ListQuery {
    std::string account_sid;
    std::map<std::string, std::string> equals;    // field -> value (exact match)
    std::map<std::string, std::string> contains;  // field -> substring
    // Timestamp ranges, inclusive: field -> "2026-11-25T00:00:00Z".
    std::map<std::string, std::string> at_least;
    std::map<std::string, std::string> at_most;
    int page_size = 50;
    std::string after_sid;  // keyset paging: rows after this one
    bool newest_first = false;
  };
  // Calls `add` for each row (return the message to fill). Returns the SID to continue after,
  // or empty when this was the last page.
  absl::Status List(const ListQuery& query, const std::function<google::protobuf::Message*()>& add,
                    std::string* next_after_sid);

  // Sets `fields` of the row to their values in `values`; NotFound when absent.
  absl::Status Update(const std::string& account_sid, const std::string& sid,
                      const google::protobuf::Message& values,
                      const std::vector<std::string>& fields, google::protobuf::Message* out);
  absl::Status Delete(const std::string& account_sid, const std::string& sid);

 private:
  std::string Column(const std::string& field) const;
  std::string SelectList() const;
  std::string Placeholder(const std::string& field, int index) const;
  // Copies a row selected with SelectList() into `out`.
  void FillRow(const pqxx::row& row, google::protobuf::Message* out) const;
  absl::Status NotFound(const std::string& sid) const;

  pg::PgPool& pool_;
  TableSpec spec_;
  const google::protobuf::Descriptor* descriptor_;
  std::vector<const google::protobuf::FieldDescriptor*> columns_;  // fields + read_only
};

}  // namespace dialtone::call_router
