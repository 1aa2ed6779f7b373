#include "clients/node_text.h"

#include "common/printable.h"

namespace segverify::clients {

std::string ShowNodeText(std::string_view text) { return PrintableCut(text, kMaxNodeTextChars); }

bool LooksLikeHtml(std::string_view body) {
  std::size_t at = 0;
  if (body.starts_with("\xEF\xBB\xBF")) at = 3;  // a UTF-8 byte order mark
  while (at < body.size() && (body[at] == ' ' || body[at] == '\t' || body[at] == '\r' || body[at] == '\n')) ++at;
  std::string head;
  for (std::size_t i = at; i < body.size() && head.size() < 14; ++i) {
    const char c = body[i];
    head += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return head.starts_with("<!doctype html") || head.starts_with("<html");
}

std::string MediaType(const HttpResponse& answer) {
  if (answer.content_type.empty()) return LooksLikeHtml(answer.body) ? "text/html" : "";
  std::string_view type = answer.content_type;
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  std::string lower;
  for (char c : type) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return ShowNodeText(lower);  // a header is node text too
}

bool IsHtml(const HttpResponse& answer) {
  const std::string type = MediaType(answer);
  return LooksLikeHtml(answer.body) || type == "text/html" || type == "application/xhtml+xml";
}

bool IsWrongKind(const HttpResponse& answer, bool json_parses) {
  if (LooksLikeHtml(answer.body)) return true;
  if (IsHtml(answer)) return !json_parses;  // a JSON answer mislabelled by a proxy is still judged as JSON
  if (answer.status >= 500) return false;
  const std::string type = MediaType(answer);
  // Nodes label JSON "application/json" (some "text/json" or "+json" types); a body that does not
  // parse under any other label is that other thing, not a malformed answer of this API.
  const bool says_json = type.find("json") != std::string::npos;
  return !json_parses && !type.empty() && !says_json;
}

std::string NotThatApi(std::string_view api, const HttpResponse& answer) {
  const std::string type = MediaType(answer);
  return "not " + std::string(api) + " at this URL (HTTP " + std::to_string(answer.status) +
         (type.empty() ? std::string() : ", " + type) + "): check the URL (an API's path, such as /api, missing?)";
}

}  // namespace segverify::clients
