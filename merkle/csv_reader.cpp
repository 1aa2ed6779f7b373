#include "merkle/csv_reader.h"

#include <cerrno>
#include <cstring>
#include <utility>

namespace segverify::merkle {
namespace {
constexpr std::size_t kBufferSize = 1 << 20;
}  // namespace

CsvReader::~CsvReader() {
  if (file_ != nullptr) std::fclose(file_);
}

CsvReader::CsvReader(CsvReader&& o) noexcept
    : path_(std::move(o.path_)),
      file_(std::exchange(o.file_, nullptr)),
      buffer_(std::move(o.buffer_)),
      pos_(o.pos_),
      end_(o.end_),
      eof_(o.eof_),
      read_error_(o.read_error_),
      line_(o.line_),
      column_(o.column_) {}

CsvReader& CsvReader::operator=(CsvReader&& o) noexcept {
  if (this != &o) {
    if (file_ != nullptr) std::fclose(file_);
    path_ = std::move(o.path_);
    file_ = std::exchange(o.file_, nullptr);
    buffer_ = std::move(o.buffer_);
    pos_ = o.pos_;
    end_ = o.end_;
    eof_ = o.eof_;
    read_error_ = o.read_error_;
    line_ = o.line_;
    column_ = o.column_;
  }
  return *this;
}

Result<CsvReader> CsvReader::Open(const std::string& path) {
  CsvReader reader;
  reader.path_ = path;
  reader.file_ = std::fopen(path.c_str(), "rb");
  if (reader.file_ == nullptr) return Error{path + ": cannot open: " + std::strerror(errno)};
  reader.buffer_ = std::make_unique<char[]>(kBufferSize);
  // Skip a UTF-8 byte order mark.
  if (reader.Refill() && reader.end_ >= 3 && std::memcmp(reader.buffer_.get(), "\xEF\xBB\xBF", 3) == 0) {
    reader.pos_ = 3;
  }
  return reader;
}

bool CsvReader::Refill() {
  if (eof_) return false;
  end_ = std::fread(buffer_.get(), 1, kBufferSize, file_);
  pos_ = 0;
  if (end_ == 0) {
    eof_ = true;
    read_error_ = std::ferror(file_) != 0;
    return false;
  }
  return true;
}

int CsvReader::Peek() {
  if (pos_ == end_ && !Refill()) return EOF;
  return static_cast<unsigned char>(buffer_[pos_]);
}

int CsvReader::Get() {
  const int c = Peek();
  if (c == EOF) return EOF;
  ++pos_;
  if (c == '\n') {
    ++line_;
    column_ = 1;
  } else {
    ++column_;
  }
  return c;
}

std::string CsvReader::Where(std::uint64_t line, std::uint64_t column) const {
  return path_ + ":" + std::to_string(line) + ":" + std::to_string(column);
}

Result<bool> CsvReader::Next(std::vector<CsvField>& fields) {
  std::size_t count = 0;
  if (Peek() == EOF) {
    if (read_error_) return Error{path_ + ": read error"};
    return false;
  }
  auto bad = [this](std::string_view what) { return Error{Where(line_, column_) + ": " + std::string(what)}; };
  while (true) {
    if (count == fields.size()) fields.emplace_back();
    CsvField& field = fields[count++];
    field.text.clear();
    field.line = line_;
    field.column = column_;
    bool quoted = false;
    if (Peek() == '"') {
      quoted = true;
      Get();
      while (true) {
        const int c = Peek();
        if (c == EOF) return Error{Where(field.line, field.column) + ": unterminated quoted field"};
        if (c == 0) return bad("NUL byte");
        Get();
        if (c == '"') {
          if (Peek() == '"') {
            Get();
            field.text.push_back('"');
            continue;
          }
          break;
        }
        field.text.push_back(static_cast<char>(c));
      }
    }
    // Unquoted field text, or what follows a closing quote (which must be a separator).
    while (true) {
      const int c = Peek();
      if (c == EOF || c == ',' || c == '\n') break;
      if (c == '\r') {
        Get();
        if (Peek() != '\n') return bad("carriage return not followed by a line feed");
        break;
      }
      if (c == 0) return bad("NUL byte");
      if (quoted) return bad("unexpected text after a closing quote");
      if (c == '"') return bad("quote inside an unquoted field (quote the whole field)");
      Get();
      field.text.push_back(static_cast<char>(c));
    }
    const int sep = Get();
    if (sep == ',') continue;
    break;  // '\n' or EOF
  }
  fields.resize(count);
  if (read_error_) return Error{path_ + ": read error"};
  return true;
}

}  // namespace segverify::merkle
