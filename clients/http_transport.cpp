// The only file that includes httplib.h (STYLE: one HTTP client behind the Transport interface).
#include "clients/http_transport.h"

#include <cstdlib>
#include <thread>
#include <utility>

#include <httplib.h>

namespace segverify::clients {
namespace {

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

class HttpTransport final : public Transport {
 public:
  HttpTransport(SourceUrl url, std::string auth, HttpOptions options)
      : url_(std::move(url)), auth_(std::move(auth)), options_(options), client_(url_.host, url_.port) {
    client_.set_connection_timeout(std::chrono::duration_cast<std::chrono::seconds>(options_.connect_timeout).count(),
                                   static_cast<time_t>((options_.connect_timeout.count() % 1000) * 1000));
    client_.set_read_timeout(std::chrono::duration_cast<std::chrono::seconds>(options_.read_timeout).count(),
                             static_cast<time_t>((options_.read_timeout.count() % 1000) * 1000));
    client_.set_write_timeout(std::chrono::duration_cast<std::chrono::seconds>(options_.read_timeout).count(), 0);
    client_.set_keep_alive(true);
    client_.set_tcp_nodelay(true);  // small JSON-RPC requests: no Nagle delay per round trip
    if (!auth_.empty()) {
      auto colon = auth_.find(':');
      std::string user = colon == std::string::npos ? auth_ : auth_.substr(0, colon);
      std::string pass = colon == std::string::npos ? std::string() : auth_.substr(colon + 1);
      client_.set_basic_auth(user.c_str(), pass.c_str());
    }
  }

  const std::string& source() const override { return url_.display; }

  Result<HttpResponse> Get(const std::string& path) override { return Send("GET", path, std::string()); }
  Result<HttpResponse> Post(const std::string& path, const std::string& body) override {
    return Send("POST", path, body);
  }

 private:
  Result<HttpResponse> Send(const char* method, const std::string& path, const std::string& body) {
    auto backoff = options_.first_backoff;
    std::string last_error;
    for (int attempt = 1; attempt <= std::max(1, options_.max_attempts); ++attempt) {
      HttpResponse response;
      bool too_large = false;
      httplib::Request req;
      req.method = method;
      req.path = url_.base_path + path;
      if (req.method == "POST") {
        req.body = body;
        req.set_header("Content-Type", "application/json");
      }
      req.content_receiver = [&](const char* data, size_t size, uint64_t, uint64_t) {
        if (response.body.size() + size > options_.max_response_bytes) {
          too_large = true;
          return false;
        }
        response.body.append(data, size);
        return true;
      };
      httplib::Response res;
      httplib::Error error = httplib::Error::Success;
      bool sent = client_.send(req, res, error);
      if (too_large) {
        return Error{url_.display + ": response larger than " + std::to_string(options_.max_response_bytes) +
                     " bytes"};
      }
      if (sent) {
        response.status = res.status;
        return response;
      }
      // Only connection-level failures reach here: retried with backoff, since the request never
      // produced an answer to judge.
      last_error = httplib::to_string(error);
      if (attempt < options_.max_attempts) {
        std::this_thread::sleep_for(backoff);
        backoff *= 2;
      }
    }
    return Error{url_.display + ": cannot reach the node (" + last_error + ")"};
  }

  SourceUrl url_;
  std::string auth_;
  HttpOptions options_;
  httplib::Client client_;
};

}  // namespace

Result<SourceUrl> ParseSourceUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, 8) == "https://") {
    return Error{"source URL: https is not supported (use http to a local node or tunnel)"};
  }
  if (url.substr(0, kScheme.size()) != kScheme) return Error{"source URL: must start with http://"};
  std::string_view rest = url.substr(kScheme.size());
  std::string_view authority = rest.substr(0, rest.find('/'));
  std::string_view path = authority.size() < rest.size() ? rest.substr(authority.size()) : std::string_view();
  SourceUrl out;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    out.auth = std::string(authority.substr(0, at));
    authority = authority.substr(at + 1);
  }
  std::string_view host = authority;
  if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    host = authority.substr(0, colon);
    if (!IsDigits(port) || port.size() > 5 || std::atoi(std::string(port).c_str()) > 65535 ||
        std::atoi(std::string(port).c_str()) == 0) {
      return Error{"source URL: bad port in http://" + std::string(host) + ":..."};
    }
    out.port = std::atoi(std::string(port).c_str());
  }
  if (host.empty()) return Error{"source URL: missing host"};
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!ok) return Error{"source URL: bad host"};
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.find_first_of("?#") != std::string_view::npos) return Error{"source URL: query or fragment not allowed"};
  out.host = std::string(host);
  out.base_path = std::string(path);
  out.display = "http://" + out.host + (authority.find(':') != std::string_view::npos ? ":" + std::to_string(out.port) : "") +
                out.base_path;
  return out;
}

Result<std::unique_ptr<Transport>> MakeHttpTransport(std::string_view url, const std::string& auth,
                                                     const HttpOptions& options) {
  auto parsed = ParseSourceUrl(url);
  if (!parsed) return parsed.error();
  std::string credentials = auth.empty() ? parsed->auth : auth;
  parsed->auth.clear();  // kept only inside the transport's client
  std::unique_ptr<Transport> transport =
      std::make_unique<HttpTransport>(std::move(parsed.value()), std::move(credentials), options);
  return transport;
}

}  // namespace segverify::clients
