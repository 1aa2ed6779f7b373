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

std::string NotThatApi(std::string_view api, int http_status) {
  return "not " + std::string(api) + " at this URL (HTTP " + std::to_string(http_status) +
         ", text/html): check the URL (an API's path, such as /api, missing?)";
}

}  // namespace segverify::clients
