// Problem: why a check could not be done, as a value (docs/ARCHITECTURE.md "Problems as values").
//
// A could-not-check reason is not a sentence to be read back: its kind says *which* problem (a node
// could not be reached, answered late, refused, disagreed with another source, answered at another
// block...) and its fields say *where* (the configured chain, the source's index, the address or
// pool, the asset). Words are made from these fields once, at the edge: the operator's line that
// report.json's `errors` keeps, and the public sentence (verifier/report/public_view.h) that is a
// projection of the fields and never parses the line.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace segverify {

// Which problem. The names (ToString) are what report.json's `problems[].kind` holds
// (docs/FORMAT.md "report.json"); new kinds are added at the end of the table, never renamed.
enum class ProblemKind {
  kUnreachable,         // no answer from a source: connection refused, DNS, TLS, connection lost
  kTimedOut,            // a source's answer did not come within the deadline (a request's or a scan's)
  kRefusedByNode,       // the node answered with an error: a JSON-RPC error object, HTTP 401/5xx, 429 retries
  kWrongApi,            // an answer of the wrong kind: an HTML page, HTTP 404, a redirect, another API
  kMalformedAnswer,     // an answer of the right kind whose contents cannot be read (bad JSON, bad field)
  kWrongNetwork,        // the node is on another chain (chain id, network name)
  kDisagreement,        // the sources gave different answers to a question every source must answer alike
  kNotAtPin,            // the answer is not at the pinned block (the block does not exist yet, changed, pruned)
  kIndexBehind,         // the node's index (block filters) has not reached the pinned block
  kProofMismatch,       // an answer differs from what its own proof (EIP-1186) proves
  kUnprovable,          // a value that must be proven could not be (no storage slot found)
  kOwnershipUnchecked,  // an ownership proof could not be checked (unsupported kind, no node to ask)
  kInput,               // an input of the operator's could not be used (liabilities, config, script missing)
  kOverflow,            // amounts add up past what can be represented (2^128-1 base units)
  kInternal,            // a bug: something that should not happen did
  kOther,               // not classified (a report written before kinds existed, or an unforeseen case)
};

// "unreachable", "timed-out", "refused-by-node", "wrong-api", "malformed-answer", "wrong-network",
// "disagreement", "not-at-pin", "index-behind", "proof-mismatch", "unprovable",
// "ownership-unchecked", "input", "overflow", "internal", "other".
std::string_view ToString(ProblemKind kind);
// The kind named `text`, or nullopt.
std::optional<ProblemKind> ParseProblemKind(std::string_view text);
// Whether the problem is that a source gave no answer at all (unreachable or timed out): the public
// says "<chain> source <n> could not be reached".
bool IsNoAnswer(ProblemKind kind);

// One could-not-check problem of a run.
struct Problem {
  ProblemKind kind = ProblemKind::kOther;
  std::string chain;                  // the configured chain's name ("arbitrum"); empty: no chain
  std::optional<std::size_t> source;  // index (from 0) of the chain's source concerned, when one is
  std::string subject;                // the address or pool concerned (canonical form); empty: none
  std::string asset;                  // the asset's symbol, when one is concerned
  std::string detail;                 // the reason in words (a node's text already escaped), for people
  // The operator's line, as report.json's `errors` lists it ("ethereum: ethereum source 1
  // (http://127.0.0.1:8545): cannot reach the node (...)"). Never read back for its meaning.
  std::string line;

  bool operator==(const Problem&) const = default;
};

}  // namespace segverify
