// A small HTTP/1.1 client over raw loopback sockets for the status server tests (header-only:
// tests/<area>/ builds only *_test.cpp files). Raw sockets because the tests also need what no
// client library does on purpose: drip bytes, hold idle connections, send endless headers.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace segverify::testing {

struct HttpAnswer {
  int status = 0;                              // 0: no answer (connection failed, closed or timed out)
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// A connected loopback socket, closed on destruction; -1 when the connection failed.
class Socket {
 public:
  // `source`: the loopback address to connect from (host order, e.g. 0x7f000002 for 127.0.0.2),
  // so that a test can be several clients; 0 = the system's choice (127.0.0.1).
  explicit Socket(int port, std::chrono::milliseconds timeout = std::chrono::seconds(10), std::uint32_t source = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    if (source != 0) {
      sockaddr_in from{};
      from.sin_family = AF_INET;
      from.sin_addr.s_addr = htonl(source);
      if (::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
        Close();
        return;
      }
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) Close();
  }
  ~Socket() { Close(); }
  Socket(Socket&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // Sends everything; false when the peer closed or reset (or a send timed out).
  bool Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Everything until the peer closes (or the receive timeout).
  std::string ReadAll() {
    std::string out;
    char buffer[16384];
    ssize_t n;
    while ((n = ::recv(fd_, buffer, sizeof buffer, 0)) > 0) out.append(buffer, static_cast<std::size_t>(n));
    return out;
  }

  // True when the peer has closed the connection (EOF or reset) within `wait`.
  bool ClosedByPeer(std::chrono::milliseconds wait) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
    char c;
    const ssize_t n = ::recv(fd_, &c, 1, MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
  }

  // Reads one response: status line, headers, then a Content-Length body (or none for 1xx, 204,
  // 304 and answers to HEAD). nullopt when the connection closes first.
  std::optional<HttpAnswer> ReadResponse(bool head_request = false) {
    std::size_t end;
    while ((end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return std::nullopt;
    }
    HttpAnswer answer;
    const std::string head = pending_.substr(0, end);
    pending_.erase(0, end + 4);
    if (head.size() < 12 || !head.starts_with("HTTP/1.")) return std::nullopt;
    answer.status = std::stoi(head.substr(9, 3));
    std::size_t line = head.find("\r\n");
    while (line != std::string::npos) {
      const std::size_t next = head.find("\r\n", line + 2);
      const std::string field = head.substr(line + 2, next == std::string::npos ? std::string::npos : next - line - 2);
      const std::size_t colon = field.find(':');
      if (colon != std::string::npos) {
        std::string name = field.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = field.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        answer.headers[name] = value;
      }
      line = next;
    }
    const bool no_body = head_request || answer.status / 100 == 1 || answer.status == 204 || answer.status == 304;
    const std::size_t length = no_body || answer.Header("content-length").empty()
                                   ? 0
                                   : static_cast<std::size_t>(std::stoull(answer.Header("content-length")));
    while (pending_.size() < length) {
      if (!Fill()) return std::nullopt;
    }
    answer.body = pending_.substr(0, length);
    pending_.erase(0, length);
    return answer;
  }

 private:
  bool Fill() {
    char buffer[16384];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return false;
    pending_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string pending_;
};

// One request on a fresh connection.
inline HttpAnswer HttpRequest(int port, const std::string& method, const std::string& path,
                              const std::string& body = "",
                              const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  Socket socket(port);
  if (!socket.ok()) return {};
  std::string request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST") request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  request += "\r\n" + body;
  if (!socket.Send(request)) return {};
  auto answer = socket.ReadResponse(method == "HEAD");
  return answer ? *answer : HttpAnswer{};
}

inline HttpAnswer HttpGet(int port, const std::string& path,
                          const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  return HttpRequest(port, "GET", path, "", headers);
}

// Raw bytes on a fresh connection; whatever the server answers until it closes.
inline std::string RawExchange(int port, const std::string& request) {
  Socket socket(port, std::chrono::seconds(5));
  if (!socket.ok()) return "";
  socket.Send(request);
  return socket.ReadAll();
}

}  // namespace segverify::testing
