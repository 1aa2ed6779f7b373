// RFC 4180 CSV records, parsed from memory (ParseCsvRecord) or streamed from a file (CsvReader).
//
// Accepts LF or CRLF line ends, quoted fields with "" escapes and embedded commas/newlines.
// Refuses NUL bytes, a quote inside an unquoted field, text after a closing quote, a carriage
// return that does not end a line, and a record longer than kMaxCsvRecordBytes. Errors name
// path:line:column (1-based; the column counts bytes from the start of the line).
//
// Memory is bounded by the record limit whatever a line holds: only the first `max_fields`
// fields of a record are kept (the rest are counted), and fields are views into the input
// (unescaped copies only for quoted fields holding "").
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace segverify::merkle {

inline constexpr std::size_t kMaxCsvRecordBytes = std::size_t{1} << 20;

struct CsvRecord {
  std::string_view text;         // the record's bytes, line end excluded
  std::uint64_t line = 0;        // where the record starts
  std::size_t count = 0;         // fields in the record (may exceed kept())
  std::uint64_t line_feeds = 0;  // in the record and its line end: the next record's line is line + line_feeds

  // The first max_fields fields: their contents and where each starts in `text`.
  std::size_t kept() const { return spans.size(); }
  std::string_view field(std::size_t i) const {
    const Span& s = spans[i];
    return s.in_scratch ? std::string_view(scratch).substr(s.begin, s.size)
                        : std::string_view(text.data() + s.begin, s.size);
  }
  std::size_t offset(std::size_t i) const { return spans[i].offset; }

  // Line and column of the byte at `offset` in `text`.
  std::uint64_t LineAt(std::size_t offset) const;
  std::uint64_t ColumnAt(std::size_t offset) const;

  // Filled by the parser (kept here so that parsing allocates nothing once warm).
  struct Span {
    std::size_t offset;  // of the field's first byte (its opening quote if quoted)
    std::size_t begin;   // of its contents, in `text` or in `scratch`
    std::size_t size;
    bool in_scratch;
  };
  std::vector<Span> spans;
  std::string scratch;  // unescaped quoted fields
};

enum class CsvStep {
  kRecord,    // `record` holds the next record; `consumed` bytes (line end included) were used
  kNeedMore,  // the record goes on past the input, which is not the end of the file
  kEnd,       // no more records
};

// Parses the record at the start of `input`, which starts on line `line`. `at_eof`: nothing
// follows `input` in the file. `origin` names the file in errors.
[[nodiscard]] Result<CsvStep> ParseCsvRecord(std::string_view input, bool at_eof, std::size_t max_fields,
                                             std::uint64_t line, std::string_view origin, CsvRecord& record,
                                             std::size_t& consumed);

// A streaming reader over a file, holding a window of 2 x kMaxCsvRecordBytes.
class CsvReader {
 public:
  ~CsvReader();
  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) noexcept;

  // Opens `path` (any readable file, a pipe included), skipping a UTF-8 byte order mark. Fields
  // past `max_fields` are counted only.
  [[nodiscard]] static Result<CsvReader> Open(const std::string& path, std::size_t max_fields);

  // Reads the next record (valid until the next call). Returns false at end of input.
  [[nodiscard]] Result<bool> Next(CsvRecord& record);

  // "path:line:column"
  std::string Where(std::uint64_t line, std::uint64_t column) const;
  const std::string& path() const { return path_; }

 private:
  CsvReader() = default;
  [[nodiscard]] Status Refill();

  std::string path_;
  int fd_ = -1;
  std::size_t max_fields_ = 0;
  std::unique_ptr<char[]> buffer_;
  std::size_t begin_ = 0, end_ = 0;  // unread bytes in buffer_
  bool eof_ = false;
  std::uint64_t line_ = 1;
};

// Length of a UTF-8 byte order mark at the start of `text` (0 or 3).
std::size_t ByteOrderMarkLength(std::string_view text);

// `text` for an error message: at most `max_bytes` of it (cut on a UTF-8 boundary, then "…"),
// control characters and invalid UTF-8 escaped as \xHH, so a 10 MB field never floods a message.
std::string QuoteForError(std::string_view text, std::size_t max_bytes = 40);

}  // namespace segverify::merkle
