// The live Transport: cpp-httplib over plain HTTP (the nodes a verifier talks to are its own or
// reached through a local tunnel; https URLs are refused with an error rather than sent in clear).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "clients/transport.h"
#include "common/result.h"

namespace segverify::clients {

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{60000};  // scantxoutset on a real node takes minutes: callers raise it
  // Attempts on CONNECTION errors only (refused, reset, timeout); wrong answers are never retried.
  int max_attempts = 3;
  std::chrono::milliseconds first_backoff{100};  // doubled after every failed attempt
  std::size_t max_response_bytes = 64u << 20;    // a longer answer is an error, not truncated
};

// A parsed source URL. `auth` holds "user:pass" from the URL's userinfo (or empty); `display`
// is the URL with the userinfo removed and no trailing slash — what errors and evidence show.
struct SourceUrl {
  std::string host;
  int port = 80;
  std::string base_path;  // "" or "/prefix" (no trailing slash)
  std::string auth;       // secret: never print
  std::string display;
};

// Parses "http://[user:pass@]host[:port][/path]". Errors never echo the userinfo.
[[nodiscard]] Result<SourceUrl> ParseSourceUrl(std::string_view url);

// Creates a live transport for `url`. `auth` ("user:pass"), when not empty, overrides the URL's
// userinfo. Fails on a malformed or non-http URL.
[[nodiscard]] Result<std::unique_ptr<Transport>> MakeHttpTransport(std::string_view url, const std::string& auth,
                                                                   const HttpOptions& options = {});

}  // namespace segverify::clients
