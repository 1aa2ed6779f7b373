#include "verifier/server/status_server.h"

#include <array>
#include <exception>
#include <string_view>

#include <httplib.h>

#include "verifier/server/proof_request.h"
#include "verifier/server/report_directory.h"
#include "web/assets.h"

namespace segverify::server {
namespace {

constexpr const char* kJson = "application/json";
constexpr const char* kVerifyProofPath = "/api/verify-proof";
// The page loads only its own scripts/styles and talks only to its own origin.
constexpr const char* kPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
// Static files served by exact name (everything else is 404; no file system access).
constexpr std::array<std::string_view, 6> kStaticAssets = {"style.css",     "sha256.js", "strict_json.js",
                                                           "proof_check.js", "app.js",    "embed.js"};
// Routes a cross-origin page may read (the embed script and its API).
constexpr std::array<std::string_view, 4> kOpenGetPaths = {"/api/status", "/api/roots", "/badge.svg", "/embed.js"};

std::string JsonError(std::string_view message) {
  std::string out = "{\"error\":\"";
  for (char c : message) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out + "\"}";
}

// If-None-Match: a list of entity tags (weak or strong) or "*".
bool MatchesEtag(const httplib::Request& req, const std::string& etag) {
  if (!req.has_header("If-None-Match")) return false;
  const std::string header = req.get_header_value("If-None-Match");
  std::string_view list = header;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view tag = list.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

void ServeWithEtag(const httplib::Request& req, httplib::Response& res, const std::string& body,
                   const std::string& etag, const char* content_type) {
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", "no-cache");
  if (MatchesEtag(req, etag)) {
    res.status = 304;
    return;
  }
  res.set_content(body, content_type);
}

void AllowAnyOrigin(httplib::Response& res) {
  res.set_header("Access-Control-Allow-Origin", "*");
  res.set_header("Access-Control-Expose-Headers", "ETag");
}

bool IsOpenGetPath(std::string_view path) {
  for (std::string_view open : kOpenGetPaths) {
    if (path == open) return true;
  }
  return false;
}

std::string EscapeRegex(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::string_view(".^$|()[]{}*+?\\").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

int StatusFor(ProofRequestOutcome outcome) {
  switch (outcome) {
    case ProofRequestOutcome::kNotJson: return 400;
    case ProofRequestOutcome::kNotAProof: return 422;
    case ProofRequestOutcome::kValid:
    case ProofRequestOutcome::kInvalid:
    case ProofRequestOutcome::kNotPublished: return 200;
  }
  return 400;
}

}  // namespace

struct StatusServer::Impl {
  ServerOptions options;
  std::unique_ptr<ReportDirectory> reports;
  httplib::Server http;
  int port = 0;

  void InstallRoutes();
  void VerifyProof(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader);
  httplib::Server::HandlerResponse RefuseUnexpectedBodies(const httplib::Request& req, httplib::Response& res);
};

httplib::Server::HandlerResponse StatusServer::Impl::RefuseUnexpectedBodies(const httplib::Request& req,
                                                                            httplib::Response& res) {
  const bool has_body = req.method == "POST" || req.method == "PUT" || req.method == "PATCH" ||
                        req.method == "DELETE" || req.method == "PRI";
  if (!has_body) return httplib::Server::HandlerResponse::Unhandled;
  if (req.method == "POST" && req.path == kVerifyProofPath) {
    // Multipart bodies are not proofs; refusing them here keeps httplib from parsing them.
    if (req.is_multipart_form_data()) {
      res.status = 415;
      res.set_content(JsonError("expected a JSON proof body"), kJson);
      res.set_header("Connection", "close");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }
  // Any other body is refused before it is read (httplib would otherwise buffer it whole).
  res.status = 405;
  res.set_content(JsonError("method not allowed"), kJson);
  res.set_header("Connection", "close");
  return httplib::Server::HandlerResponse::Handled;
}

void StatusServer::Impl::VerifyProof(const httplib::Request& req, httplib::Response& res,
                                     const httplib::ContentReader& reader) {
  (void)req;
  std::string body;
  bool too_large = false;
  const std::size_t limit = options.max_body_bytes;
  const bool read = reader([&](const char* data, std::size_t size) {
    if (body.size() + size > limit) {
      too_large = true;  // stop reading: a streamed body is never buffered past the limit
      return false;
    }
    body.append(data, size);
    return true;
  });
  if (too_large || res.status == 413) {
    res.status = 413;
    res.set_header("Connection", "close");
    res.set_content(JsonError("request body larger than " + std::to_string(limit) + " bytes"), kJson);
    return;
  }
  if (!read) {
    res.status = 400;
    res.set_header("Connection", "close");
    res.set_content(JsonError("request body could not be read"), kJson);
    return;
  }
  const auto snapshot = reports->Current();
  const ProofRequestAnswer answer = CheckProofRequest(body, snapshot->published_roots);
  res.status = StatusFor(answer.outcome);
  res.set_header("Cache-Control", "no-store");
  res.set_content(ProofAnswerToJson(answer), kJson);
}

void StatusServer::Impl::InstallRoutes() {
  http.Get("/", [this](const httplib::Request&, httplib::Response& res) {
    const auto snapshot = reports->Current();
    res.set_header("Content-Security-Policy", kPagePolicy);
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Cache-Control", "no-cache");
    res.set_content(snapshot->page_html, "text/html; charset=utf-8");
  });
  http.Get("/api/status", [this](const httplib::Request& req, httplib::Response& res) {
    const auto snapshot = reports->Current();
    AllowAnyOrigin(res);
    ServeWithEtag(req, res, snapshot->status_json, snapshot->status_etag, kJson);
  });
  http.Get("/api/roots", [this](const httplib::Request& req, httplib::Response& res) {
    const auto snapshot = reports->Current();
    AllowAnyOrigin(res);
    ServeWithEtag(req, res, snapshot->roots_json, EtagFor(snapshot->roots_json), kJson);
  });
  http.Get("/badge.svg", [this](const httplib::Request& req, httplib::Response& res) {
    const auto snapshot = reports->Current();
    AllowAnyOrigin(res);
    ServeWithEtag(req, res, snapshot->badge_svg, snapshot->badge_etag, "image/svg+xml");
  });
  for (std::string_view name : kStaticAssets) {
    const auto asset = web::FindWebAsset(name);
    if (!asset) continue;
    const std::string path = "/" + std::string(name);
    const std::string content(asset->content);
    const std::string content_type(asset->content_type);
    const std::string etag = EtagFor(content);
    http.Get(EscapeRegex(path), [path, content, content_type, etag](const httplib::Request& req, httplib::Response& res) {
      if (IsOpenGetPath(path)) AllowAnyOrigin(res);
      ServeWithEtag(req, res, content, etag, content_type.c_str());
    });
  }
  http.Options(".*", [](const httplib::Request& req, httplib::Response& res) {
    if (IsOpenGetPath(req.path)) {
      AllowAnyOrigin(res);
      res.set_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
      res.set_header("Access-Control-Allow-Headers", "If-None-Match");
      res.set_header("Access-Control-Max-Age", "86400");
    }
    res.status = 204;
  });
  http.Post(kVerifyProofPath, [this](const httplib::Request& req, httplib::Response& res,
                                     const httplib::ContentReader& reader) { VerifyProof(req, res, reader); });
  http.set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return RefuseUnexpectedBodies(req, res); });
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    res.set_content(JsonError(res.status == 404 ? "not found" : "bad request"), kJson);
  });
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(JsonError("internal error"), kJson);  // no exception text: it may name server paths
  });
}

StatusServer::StatusServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StatusServer::~StatusServer() { Stop(); }

Result<std::unique_ptr<StatusServer>> StatusServer::Create(const ServerOptions& options) {
  if (options.port < 0 || options.port > 65535) return Error{"--port " + std::to_string(options.port) + ": out of range"};
  if (options.worker_threads == 0) return Error{"worker thread count must be at least 1"};
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  auto reports = ReportDirectory::Open(options.report_dir, options.rescan_interval, options.history_path);
  if (!reports) return reports.error();
  impl->reports = std::move(*reports);

  httplib::Server& http = impl->http;
  const std::size_t workers = options.worker_threads;
  http.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  http.set_payload_max_length(options.max_body_bytes);
  http.set_read_timeout(options.read_timeout);
  http.set_write_timeout(options.write_timeout);
  http.set_keep_alive_timeout(2);
  http.set_keep_alive_max_count(1000);
  http.set_tcp_nodelay(true);
  http.set_default_headers({{"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "no-referrer"}});
  impl->InstallRoutes();

  if (options.port == 0) {
    impl->port = http.bind_to_any_port(options.bind);
    if (impl->port <= 0) return Error{"cannot bind " + options.bind + " on any port"};
  } else {
    if (!http.bind_to_port(options.bind, options.port)) {
      return Error{"cannot bind " + options.bind + ":" + std::to_string(options.port) + " (in use, or not a local address)"};
    }
    impl->port = options.port;
  }
  return std::unique_ptr<StatusServer>(new StatusServer(std::move(impl)));
}

int StatusServer::port() const { return impl_->port; }

Status StatusServer::Run() {
  if (!impl_->http.listen_after_bind()) return Error{"the listener stopped with an error"};
  return Status::Ok();
}

void StatusServer::Stop() {
  if (impl_) impl_->http.stop();
}

}  // namespace segverify::server
