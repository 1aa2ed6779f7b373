#include "clients/source_url.h"

#include <algorithm>
#include <vector>

#include "clients/ascii.h"
#include "common/base64.h"

namespace segverify::clients {
namespace {

constexpr std::string_view kDelimiters = "/?#";

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 percent-decoding of user-info; a '%' not followed by two hex digits stays as it is.
std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// Where the user-info ends ('@' position) in `rest` (the URL after "scheme://"), or npos. The
// user-info runs to the last '@' of the URL when the user name (up to the first ':') holds no
// delimiter: "user:20/24S3cret@host" is user "user" with password "20/24S3cret". Otherwise only an
// '@' inside the authority counts ("host/path?mail=a@b" has no user-info).
std::size_t UserInfoEnd(std::string_view rest) {
  const std::size_t last_at = rest.rfind('@');
  if (last_at == std::string_view::npos) return last_at;
  const std::string_view candidate = rest.substr(0, last_at);
  const std::string_view user = candidate.substr(0, candidate.find(':'));
  if (user.find_first_of(kDelimiters) == std::string_view::npos) return last_at;
  const std::string_view authority = rest.substr(0, rest.find_first_of(kDelimiters));
  return authority.rfind('@');
}

Status ParseHostPort(std::string_view authority, SourceUrl& out) {
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return Error{"source URL: bad IPv6 host"};
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Error{"source URL: bad host"};
      port = after.substr(1);
      if (port.empty()) return Error{"source URL: empty port"};
    }
    for (char c : host.substr(1, host.size() - 2)) {
      if (HexValue(c) < 0 && c != ':' && c != '.') return Error{"source URL: bad IPv6 host"};
    }
    if (host.size() < 3) return Error{"source URL: missing host"};
  } else {
    if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      if (port.empty()) return Error{"source URL: empty port"};
    }
    if (host.empty()) return Error{"source URL: missing host"};
    if (!std::all_of(host.begin(), host.end(), IsHostChar)) return Error{"source URL: bad host"};
  }
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return Error{"source URL: bad port"};
    }
    const int value = std::stoi(std::string(port));
    if (value < 1 || value > 65535) return Error{"source URL: bad port"};
    out.port = value;
  }
  out.host = AsciiLower(host);
  return Status::Ok();
}

}  // namespace

Result<SourceUrl> ParseSourceUrl(std::string_view url) {
  SourceUrl out;
  const std::size_t scheme_end = url.find("://");
  const std::string scheme = scheme_end == std::string_view::npos ? "" : AsciiLower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") return Error{"source URL: must start with http:// or https://"};
  out.scheme = scheme;
  out.port = scheme == "https" ? 443 : 80;
  std::string_view rest = url.substr(scheme_end + 3);
  if (const std::size_t at = UserInfoEnd(rest); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    const std::size_t colon = userinfo.find(':');
    out.user = PercentDecode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) out.password = PercentDecode(userinfo.substr(colon + 1));
    out.has_userinfo = true;
    rest = rest.substr(at + 1);
  }
  const std::size_t authority_end = std::min(rest.find_first_of(kDelimiters), rest.size());
  if (Status s = ParseHostPort(rest.substr(0, authority_end), out); !s) return s.error();
  std::string_view tail = rest.substr(authority_end);
  tail = tail.substr(0, tail.find('#'));  // a fragment is never sent
  const std::size_t query = std::min(tail.find('?'), tail.size());
  std::string_view path = tail.substr(0, query);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  out.path_and_query = std::string(path) + std::string(tail.substr(query));
  out.origin = out.scheme + "://" + out.host + ":" + std::to_string(out.port);
  return out;
}

std::string RedactSourceUrl(std::string_view url) {
  auto parsed = ParseSourceUrl(url);
  return parsed ? parsed->origin : "(malformed URL)";
}

std::string SourceDisplay(std::string_view label, std::string_view url) {
  std::string origin = RedactSourceUrl(url);
  if (label.empty()) return origin;
  return std::string(label) + " (" + origin + ")";
}

std::string ScrubSecrets(std::string text, const SourceUrl& url) {
  const std::string path = url.path_and_query.substr(0, url.path_and_query.find('?'));
  const std::string query = url.path_and_query.substr(path.size());
  std::vector<std::string> secrets = {url.path_and_query, path, query};
  if (url.has_userinfo) {
    const std::string basic = ToBase64(url.user + ":" + url.password);
    secrets.push_back(basic);
    secrets.push_back(basic.substr(0, basic.find('=')));  // echoed without its padding
  }
  // Key-like pieces, echoed on their own: "/v3/<key>", "?apikey=<key>".
  constexpr std::size_t kKeyLikeLength = 6;
  for (std::size_t start = 0; start < url.path_and_query.size();) {
    const std::size_t end = std::min(url.path_and_query.find_first_of("/?&=", start), url.path_and_query.size());
    if (end - start >= kKeyLikeLength) secrets.push_back(url.path_and_query.substr(start, end - start));
    start = end + 1;
  }
  secrets.push_back(url.password);
  secrets.push_back(url.user);
  // Longest first, so that a piece of a longer secret does not leave the rest of it behind.
  std::stable_sort(secrets.begin(), secrets.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
      text.replace(at, secret.size(), "...");
    }
  }
  return text;
}

}  // namespace segverify::clients
