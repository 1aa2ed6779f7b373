#include "clients/json_rpc.h"

#include <utility>

#include "clients/node_text.h"

namespace segverify::clients {
namespace {

constexpr unsigned kExactTextFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag | rapidjson::kParseNumbersAsStringsFlag;

std::string RequestJson(const RpcRequest& request, std::size_t id) {
  return "{\"jsonrpc\":\"2.0\",\"id\":" + std::to_string(id) + ",\"method\":\"" + request.method +
         "\",\"params\":" + (request.params_json.empty() ? std::string("[]") : request.params_json) + "}";
}

// The id of a response as a number; in exact-text mode numbers arrive as strings of digits.
std::optional<std::uint64_t> IdOf(const JsonValue& response) {
  if (!response.IsObject()) return std::nullopt;
  auto it = response.FindMember("id");
  if (it == response.MemberEnd()) return std::nullopt;
  if (it->value.IsUint64()) return it->value.GetUint64();
  if (it->value.IsString()) {
    std::string_view s(it->value.GetString(), it->value.GetStringLength());
    if (s.empty() || s.size() > 18) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
  }
  return std::nullopt;
}

// The reply as it may be kept: a node's error text scrubbed of the source's URL and credentials.
Result<RpcReply> ReadReply(const JsonValue& response, const std::string& origin, const Transport& transport) {
  if (!response.IsObject()) return Error{origin + ": response is not a JSON object", ProblemKind::kMalformedAnswer};
  RpcReply reply;
  auto error = response.FindMember("error");
  if (error != response.MemberEnd() && !error->value.IsNull()) {
    if (!error->value.IsObject()) return Error{origin + ": error is not an object", ProblemKind::kMalformedAnswer};
    JsonObjectReader reader(error->value, origin, "error");
    auto message = reader.String("message");
    if (!message) return message.error();
    reply.is_error = true;
    reply.error_message = transport.WithoutSecrets(*message);
    auto code = error->value.FindMember("code");
    if (code != error->value.MemberEnd()) {
      if (code->value.IsInt()) {
        reply.error_code = code->value.GetInt();
      } else if (code->value.IsString()) {
        reply.error_code = std::atoi(code->value.GetString());
      }
    }
    auto data = error->value.FindMember("data");
    if (data != error->value.MemberEnd()) reply.error_data = transport.WithoutSecrets(JsonToString(data->value));
    return reply;
  }
  auto result = response.FindMember("result");
  if (result == response.MemberEnd())
    return Error{origin + ": response has neither result nor error", ProblemKind::kMalformedAnswer};
  reply.result_json = JsonToString(result->value);
  return reply;
}

}  // namespace

std::string RpcReply::ShownError() const { return ShowNodeText(error_message); }

Result<std::unique_ptr<JsonDocument>> ParseNodeJson(const std::string& text, const std::string& origin,
                                                    RpcNumbers numbers) {
  // The bounded parser checks depth, duplicate keys and encoding; exact-text mode then parses
  // again keeping number literals (RapidJSON's iterative parser: no recursion either).
  auto doc = ParseJson(text, origin);
  if (!doc) return Error{doc.error().message, ProblemKind::kMalformedAnswer};
  if (numbers == RpcNumbers::kParsed) return doc;
  doc.value().reset();  // checked: freed before the second document is built (one at a time in memory)
  auto exact = std::make_unique<JsonDocument>();
  exact->Parse<kExactTextFlags>(text.data(), text.size());
  if (exact->HasParseError()) return Error{origin + ": invalid JSON", ProblemKind::kMalformedAnswer};
  return exact;
}

JsonRpcClient::JsonRpcClient(std::unique_ptr<Transport> transport, RpcNumbers numbers, std::string path)
    : transport_(std::move(transport)), numbers_(numbers), path_(std::move(path)) {}

Result<std::unique_ptr<JsonDocument>> JsonRpcClient::Exchange(const std::string& body, const std::string& what,
                                                              const RequestTerms& terms) {
  std::string origin = transport_->source() + " (" + what + ")";
  auto answer = transport_->PostWithTerms(path_, body, terms);
  if (!answer) return answer.error().Rephrased(answer.error().message + " (" + what + ")");
  if (answer->status == 401 || answer->status == 403) {
    return Error{origin + ": authentication failed (HTTP " + std::to_string(answer->status) + ")",
                 ProblemKind::kRefusedByNode};
  }
  if (answer->status >= 300 && answer->status < 400) {
    return Error{origin + ": HTTP status " + std::to_string(answer->status) + " (redirects are not followed)",
                 ProblemKind::kWrongApi};
  }
  // Bitcoin Core answers RPC errors with HTTP 500/404 and a JSON-RPC body: judge the body then.
  auto doc = ParseNodeJson(answer->body, origin, numbers_);
  if (IsWrongKind(*answer, doc.ok())) {
    return Error{origin + ": " + NotThatApi("a JSON-RPC API", *answer), ProblemKind::kWrongApi};
  }
  if (answer->status != 200) {
    if (!doc || !(*doc)->IsObject() || !(*doc)->HasMember("error")) {
      // A 5xx is the node refusing; any other status (404, an HTML page) is not a JSON-RPC endpoint.
      return Error{origin + ": HTTP status " + std::to_string(answer->status),
                   answer->status >= 500 ? ProblemKind::kRefusedByNode : ProblemKind::kWrongApi};
    }
  }
  return doc;
}

Result<RpcReply> JsonRpcClient::Call(const RpcRequest& request, const RequestTerms& terms) {
  auto doc = Exchange(RequestJson(request, 0), request.method, terms);
  if (!doc) return doc.error();
  std::string origin = transport_->source() + " (" + request.method + ")";
  if (IdOf(**doc) != std::optional<std::uint64_t>(0))
    return Error{origin + ": response id does not match the request", ProblemKind::kMalformedAnswer};
  return ReadReply(**doc, origin, *transport_);
}

Result<std::vector<RpcReply>> JsonRpcClient::Batch(const std::vector<RpcRequest>& requests) {
  std::vector<RpcReply> replies;
  if (requests.empty()) return replies;
  std::string body = "[";
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (i) body += ',';
    body += RequestJson(requests[i], i);
  }
  body += ']';
  std::string what = "batch of " + std::to_string(requests.size()) + " " + requests.front().method;
  auto doc = Exchange(body, what, RequestTerms{});
  if (!doc) return doc.error();
  std::string origin = transport_->source() + " (" + what + ")";
  if (!(*doc)->IsArray()) {
    if ((*doc)->IsObject() && (*doc)->HasMember("error")) {
      auto reply = ReadReply(**doc, origin, *transport_);
      if (reply && reply->is_error) {
        return Error{origin + ": batch refused: " + reply->ShownError(), ProblemKind::kRefusedByNode};
      }
    }
    return Error{origin + ": batch response is not an array", ProblemKind::kMalformedAnswer};
  }
  std::vector<std::optional<RpcReply>> by_id(requests.size());
  for (const auto& response : (*doc)->GetArray()) {
    auto id = IdOf(response);
    if (!id || *id >= requests.size())
      return Error{origin + ": response with a missing or unknown id", ProblemKind::kMalformedAnswer};
    if (by_id[*id])
      return Error{origin + ": duplicate response id " + std::to_string(*id), ProblemKind::kMalformedAnswer};
    auto reply = ReadReply(response, origin, *transport_);
    if (!reply) return reply.error();
    by_id[*id] = std::move(reply.value());
  }
  replies.reserve(requests.size());
  for (std::size_t i = 0; i < by_id.size(); ++i) {
    if (!by_id[i]) return Error{origin + ": no response for id " + std::to_string(i), ProblemKind::kMalformedAnswer};
    replies.push_back(std::move(*by_id[i]));
  }
  return replies;
}

}  // namespace segverify::clients
