// Test helpers: environment, ports, child processes.
#include "dialtone/testing/test_env.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>

namespace dialtone::testing {

std::string RequireEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    throw std::runtime_error(std::string(name) +
                             " is not set: run integration tests through `scripts/dev test`, "
                             "which starts Redis and PostgreSQL and sets it");
  }
  return v;
}

std::string WithDatabase(const std::string& url, const std::string& name) {
  auto scheme = url.find("://");
  auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  std::string query;
  if (auto q = url.find('?'); q != std::string::npos) query = url.substr(q);
  std::string base =
      slash == std::string::npos ? url.substr(0, url.find('?')) : url.substr(0, slash);
  return base + "/" + name + query;
}

namespace {

int AnyFreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    throw std::runtime_error("cannot bind a free port");
  }
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// The gRPC ports `scripts/dev up` listens on (50051-50055) lie in the kernel's ephemeral range;
// a test never takes them, so it runs beside a dev stack that is down now and up later.
bool IsDevStackPort(int port) { return port >= 50051 && port <= 50055; }

}  // namespace

int FreePort() {
  for (int attempt = 0; attempt < 20; ++attempt) {
    int port = AnyFreePort();
    if (!IsDevStackPort(port)) return port;
  }
  throw std::runtime_error("no free port outside the dev stack's");
}

std::string RandomSuffix() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (int i = 0; i < 10; ++i) s.push_back(kChars[rng() % 36]);
  return s;
}

ChildProcess::ChildProcess(std::vector<std::string> argv, std::string log_path) {
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    if (!log_path.empty()) {
      int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
      }
    }
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && running()) Stop(SIGKILL);
}

int ChildProcess::Stop(int signal) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

bool ChildProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

bool WaitForPort(int port, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    close(fd);
    if (ok) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

AppServer::AppServer(const std::string& source_dir, int port, std::string media_dir,
                     std::string log_path) {
  if (log_path.empty()) log_path = "/tmp/dialtone-app-server-" + RandomSuffix() + ".log";
  std::vector<std::string> argv{"python3", source_dir + "/tests/lib/app_server.py",
                                std::to_string(port)};
  if (!media_dir.empty()) argv.push_back(std::move(media_dir));
  proc_ = std::make_unique<ChildProcess>(std::move(argv), log_path);
  for (int i = 0; i < 400 && port_ == 0; ++i) {  // up to 10 s: "PORT <n>" is its first line
    std::ifstream in(log_path);
    std::string word;
    int announced = 0;
    if (in >> word >> announced && word == "PORT") port_ = announced;
    if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  if (port_ == 0) throw std::runtime_error("tests/lib/app_server.py did not start: " + log_path);
}

std::string AppServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

}  // namespace dialtone::testing
