// Node URLs and how a source is named in every output (docs/DESIGN.md §Node transport, Secrets).
//
// A node URL may carry secrets in four places: the user-info ("user:pass@", the password may even
// hold a '/'), the path (Infura and Alchemy put the API key there: /v3/<key>), the query
// (?apikey=...) and the fragment. None of them is ever printed, logged, reported or used in a file
// name: a source is shown as "scheme://host:port" and named by its place in the configuration
// ("ethereum source 2"). This file is the ONE place that turns a URL into something shown.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace segverify::clients {

// A parsed node URL. `origin` is the only part that may be shown; `auth`, `user`, `password` and
// `path_and_query` are secrets.
struct SourceUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // a DNS name, IPv4 address or "[IPv6]" (with the brackets)
  int port = 0;        // explicit or the scheme's default (80, 443)
  std::string user;    // percent-decoded user-info, secret
  std::string password;
  bool has_userinfo = false;
  std::string path_and_query;  // "" or "/v3/KEY?x=y" (no trailing slash on a bare path), secret
  std::string origin;          // "https://host:443": what is shown
};

// Parses "http[s]://[user[:password]@]host[:port][/path][?query][#fragment]". The user-info runs
// to the LAST '@' before the host, so a password holding '/', '?', '#' or '@' stays a password.
// Errors never echo any part of the URL but its scheme.
[[nodiscard]] Result<SourceUrl> ParseSourceUrl(std::string_view url);

// "scheme://host:port" of `url`, or "(malformed URL)": what may be shown of any node URL.
std::string RedactSourceUrl(std::string_view url);

// How a configured source is named everywhere (errors, evidence, progress): "<label> (<origin>)",
// e.g. "ethereum source 2 (https://mainnet.infura.io:443)"; just the origin without a label.
std::string SourceDisplay(std::string_view label, std::string_view url);

// Removes every occurrence of the URL's secrets from `text`: the user, the password, the path and
// query, each path segment and query value of 6 characters or more (what looks like an API key,
// e.g. Infura's /v3/<key>) and the Basic credentials an Authorization header carries
// (Base64 of "user:password"). For text of third parties that might quote the URL or the request's
// headers: the HTTP library's error text, a node's error message (a node may echo both).
std::string ScrubSecrets(std::string text, const SourceUrl& url);

}  // namespace segverify::clients
