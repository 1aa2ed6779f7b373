// A streaming RFC 4180 CSV record reader (never holds more than one record plus a read buffer).
//
// Accepts LF or CRLF line ends, an optional UTF-8 BOM, quoted fields with "" escapes and embedded
// commas/newlines. Refuses NUL bytes, a quote inside an unquoted field, text after a closing quote
// and a carriage return that does not end a line. Errors name path:line:column (1-based; column
// counts bytes from the start of the line).
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace segverify::merkle {

struct CsvField {
  std::string text;
  std::uint64_t line = 0;    // where the field starts
  std::uint64_t column = 0;
};

class CsvReader {
 public:
  ~CsvReader();
  CsvReader(CsvReader&&) noexcept;
  CsvReader& operator=(CsvReader&&) noexcept;

  [[nodiscard]] static Result<CsvReader> Open(const std::string& path);

  // Reads the next record into `fields` (resized; strings reused). Returns false at end of input.
  [[nodiscard]] Result<bool> Next(std::vector<CsvField>& fields);

  // "path:line:column"
  std::string Where(std::uint64_t line, std::uint64_t column) const;
  const std::string& path() const { return path_; }

 private:
  CsvReader() = default;
  int Peek();
  int Get();
  bool Refill();

  std::string path_;
  std::FILE* file_ = nullptr;
  std::unique_ptr<char[]> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  bool read_error_ = false;
  std::uint64_t line_ = 1;
  std::uint64_t column_ = 1;
};

}  // namespace segverify::merkle
