// Redis URLs in every form operators write them.
#include <catch2/catch.hpp>

#include "dialtone/redis/redis_url.h"

using dialtone::redis::ParseRedisUrl;

TEST_CASE("Redis URLs give host, port, database and credentials") {
  auto a = ParseRedisUrl("redis://127.0.0.1:16379/2");
  REQUIRE(a.ok());
  CHECK(a->host == "127.0.0.1");
  CHECK(a->port == 16379);
  CHECK(a->db == 2);
  auto b = ParseRedisUrl("redis://user:s3cret@cache.internal");
  REQUIRE(b.ok());
  CHECK(b->host == "cache.internal");
  CHECK(b->port == 6379);
  CHECK(b->username == "user");
  CHECK(b->password == "s3cret");
  auto c = ParseRedisUrl("redis://:pw@[::1]:7000/");
  REQUIRE(c.ok());
  CHECK(c->host == "::1");
  CHECK(c->port == 7000);
  CHECK(c->password == "pw");
  CHECK(c->db == 0);
}

TEST_CASE("Malformed Redis URLs are refused") {
  CHECK_FALSE(ParseRedisUrl("http://localhost").ok());
  CHECK_FALSE(ParseRedisUrl("redis://").ok());
  CHECK_FALSE(ParseRedisUrl("redis://host:0").ok());
  CHECK_FALSE(ParseRedisUrl("redis://host:99999").ok());
  CHECK_FALSE(ParseRedisUrl("redis://host/abc").ok());
}
