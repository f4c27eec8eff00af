// A blocking HTTP request with curl, for the REST integration tests.
#pragma once

#include <string>

namespace dialtone::rest_gateway::testing {

struct Reply {
  long status = 0;
  std::string body;
  std::string content_type;
};

// GET `url` (POST `post_body` when `post`), with HTTP Basic `user`:`password` unless `user` is
// empty. Throws when no HTTP answer comes.
Reply Call(const std::string& url, const std::string& user, const std::string& password,
           const std::string& post_body = "", bool post = false);

// A curl write callback appending to the std::string at `out`.
size_t Collect(char* d, size_t s, size_t n, void* out);

}  // namespace dialtone::rest_gateway::testing
