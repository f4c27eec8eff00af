// Helpers for integration tests that talk to the real Redis and PostgreSQL started by
// `scripts/dev test`, and that start processes of their own. Tests only; production never links.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace dialtone::testing {

// The value of an environment variable the test suite needs, e.g. DIALTONE_TEST_PG_URL.
// Throws std::runtime_error (Catch2 reports it as a failure) naming the variable when unset:
// an integration test never passes by skipping its real dependency.
std::string RequireEnv(const char* name);

// `url` with its path (database name) replaced: postgresql://u@h:p/x -> postgresql://u@h:p/name.
std::string WithDatabase(const std::string& url, const std::string& name);

// A TCP port on 127.0.0.1 free at the time of the call, never one of the dev stack's defaults.
int FreePort();

// A lowercase random suffix for scratch databases and keys.
std::string RandomSuffix();

// A child process, killed (SIGKILL) when the object goes away.
class ChildProcess {
 public:
  // Starts argv[0] found on PATH; stdout/stderr go to `log_path` when set.
  explicit ChildProcess(std::vector<std::string> argv, std::string log_path = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Sends `signal` and waits for the exit; returns the exit status as from waitpid.
  int Stop(int signal);
  bool running();

 private:
  pid_t pid_ = -1;
};

// Waits until something accepts TCP connections on 127.0.0.1:port, up to `timeout_ms`.
bool WaitForPort(int port, int timeout_ms);

// The tests' customer application and media origin, tests/lib/app_server.py (its docstring
// lists what it serves), listening on 127.0.0.1:`port` (0: a free one) with `media_dir` (may be
// empty) and logging to `log_path`; killed with the object. Throws when it does not start.
//   dt::AppServer app(DIALTONE_SOURCE_DIR);
//   client.Fetch(app.Url("/twiml"));
class AppServer {
 public:
  explicit AppServer(const std::string& source_dir, int port = 0, std::string media_dir = {},
                     std::string log_path = {});
  int port() const { return port_; }
  std::string Url(const std::string& path) const;

 private:
  std::unique_ptr<ChildProcess> proc_;
  int port_ = 0;
};

}  // namespace dialtone::testing
