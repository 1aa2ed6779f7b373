// JSON-RPC 2.0 over a Transport, single calls and batches.
//
// Every answer is checked: HTTP status, JSON shape, "jsonrpc":"2.0" is not required (Bitcoin
// Core before 28 answers 1.0-style objects with both "result" and "error"; Core 28 and later
// answer requests marked "jsonrpc":"2.0" in 2.0 style: HTTP 200 even for errors, and only one of
// "result" / "error" — both shapes are read alike) but each response must carry the id of its request; in a batch
// every id must come back exactly once (a missing, unknown or duplicate id is an Error naming the
// source). Ids are the request's index in its batch (deterministic, so recorded evidence replays).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clients/transport.h"
#include "common/json.h"
#include "common/result.h"

namespace segverify::clients {

struct RpcRequest {
  std::string method;
  std::string params_json;  // a JSON array or object, e.g. "[\"0x..\",\"0x10\"]"
};

// How numbers in answers are kept. kExactText keeps every number's literal text as a JSON string
// (Bitcoin Core amounts like 0.00012345 must never pass through a double).
enum class RpcNumbers { kParsed, kExactText };

// One call's outcome: exactly one of `result_json` / `error_message` is meaningful.
struct RpcReply {
  bool is_error = false;      // the node answered with a JSON-RPC error object
  int error_code = 0;         // the error object's code (when is_error)
  std::string error_message;  // the error object's message (when is_error), scrubbed of the source's secrets
  std::string error_data;     // the error object's "data" as JSON text, "" if absent (scrubbed too)
  std::string result_json;    // the "result" value as compact JSON text (when !is_error)

  // The error message as it may be shown (clients/node_text.h: escaped, cut at 200 characters).
  // Every Error built from a node's message uses this, never error_message itself.
  std::string ShownError() const;
};

// JSON-RPC 2.0's "Method not found" (also what Bitcoin Core answers for an RPC it does not have).
inline constexpr int kRpcMethodNotFound = -32601;

class JsonRpcClient {
 public:
  // `numbers`: kExactText keeps every number in result_json as a JSON string of its literal text.
  explicit JsonRpcClient(std::unique_ptr<Transport> transport, RpcNumbers numbers = RpcNumbers::kParsed,
                         std::string path = "/");

  const std::string& source() const { return transport_->source(); }
  // The transport's Watcher() (transport.h): a second connection for watching requests, or nullptr.
  std::unique_ptr<Transport> Watcher() const { return transport_->Watcher(); }

  // One call. A JSON-RPC error object is returned as an RpcReply with is_error (the caller
  // decides: an eth_call revert is an answer, not a failure). Transport, HTTP and shape errors
  // are Errors naming the source and method.
  [[nodiscard]] Result<RpcReply> Call(const RpcRequest& request, const RequestTerms& terms = {});

  // A batch, answered in request order. An empty batch sends nothing.
  [[nodiscard]] Result<std::vector<RpcReply>> Batch(const std::vector<RpcRequest>& requests);

 private:
  [[nodiscard]] Result<std::unique_ptr<JsonDocument>> Exchange(const std::string& body, const std::string& what,
                                                               const RequestTerms& terms);

  std::unique_ptr<Transport> transport_;
  RpcNumbers numbers_;
  std::string path_;
};

// Parses an RpcReply's result_json (or any JSON text from a node) with the bounded parser;
// `numbers` as above; `origin` names the source and method in errors.
[[nodiscard]] Result<std::unique_ptr<JsonDocument>> ParseNodeJson(const std::string& text, const std::string& origin,
                                                                  RpcNumbers numbers = RpcNumbers::kParsed);

}  // namespace segverify::clients
