// Result<T>: a value or an error message, for library boundaries (STYLE: errors as values).
//
// The error text is meant for a person and names what is at fault (file:line:column, JSON path,
// source URL). Exceptions never cross a module boundary; the CLI and server turn an Error into an
// exit code or HTTP status at the edge.
//
// An Error also says which problem it is (common/problem.h) where the code that made it knows:
// the transport sets kUnreachable or kTimedOut, JSON-RPC kRefusedByNode, the quorum the source's
// index. Code that adds context to an error keeps its kind (Error::Rephrased), so the kind
// travels with the value and is never guessed back from the words.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/problem.h"

namespace segverify {

struct Error {
  Error() = default;
  explicit Error(std::string text, ProblemKind problem_kind = ProblemKind::kOther)
      : message(std::move(text)), kind(problem_kind) {}

  // The same problem told with more context: `text` replaces the message, the kind and source stay.
  [[nodiscard]] Error Rephrased(std::string text) const {
    Error out = *this;
    out.message = std::move(text);
    return out;
  }

  // The same problem, known to come from source `index` of its chain (unless a source is named already).
  [[nodiscard]] Error AtSource(std::size_t index) const {
    Error out = *this;
    if (!out.source) out.source = index;
    return out;
  }

  // This problem and each of `others`, every one on its own (without others of its own).
  [[nodiscard]] std::vector<Error> Each() const {
    Error first = *this;
    first.others.clear();
    std::vector<Error> out{std::move(first)};
    out.insert(out.end(), others.begin(), others.end());
    return out;
  }

  std::string message;
  ProblemKind kind = ProblemKind::kOther;
  std::optional<std::size_t> source;  // index (from 0) of the chain's source at fault, when known
  // Further problems found in the same step, each with its own kind and source: when several
  // sources of a chain fail, every one is reported, not only the first (docs/DESIGN.md §Node transport).
  // Code that reports an Error reports Each() of it.
  std::vector<Error> others;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Precondition: ok(). Accessing the value of a failed Result is a bug, not an input error.
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // Precondition: !ok().
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

// The could-not-check problem `error` is, on the configured chain `chain` (empty: none), told to the
// operator as `line`: its kind and source stay, its message becomes the detail.
inline Problem ProblemOf(const Error& error, std::string chain, std::string line) {
  Problem problem;
  problem.kind = error.kind;
  problem.chain = std::move(chain);
  problem.source = error.source;
  problem.detail = error.message;
  problem.line = std::move(line);
  return problem;
}

// Result<void>: success or an error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT
  static Status Ok() { return Status(); }

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const std::string& message() const { return error_.message; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace segverify
