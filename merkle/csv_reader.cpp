#include "merkle/csv_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include "common/regular_file.h"

namespace segverify::merkle {
namespace {

// Bytes that end or break an unquoted field.
constexpr std::array<bool, 256> SpecialBytes() {
  std::array<bool, 256> table{};
  for (char c : {',', '\n', '\r', '"', '\0'}) table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr std::array<bool, 256> kSpecial = SpecialBytes();

// Whether any byte of `word` equals `byte` (high bit set in that byte's lane; exact for the
// lowest such lane, which is the one used).
constexpr std::uint64_t HasByte(std::uint64_t word, unsigned char byte) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  const std::uint64_t x = word ^ (kOnes * byte);
  return (x - kOnes) & ~x & kHighs;
}

// The first special byte at or after `pos` in `in`, or in.size(): eight bytes at a time (fields
// are short, but a byte-by-byte loop was a tenth of a build).
std::size_t SkipPlainBytes(std::string_view in, std::size_t pos) {
  while (pos + 8 <= in.size()) {
    std::uint64_t word;
    std::memcpy(&word, in.data() + pos, 8);
    const std::uint64_t found =
        HasByte(word, ',') | HasByte(word, '\n') | HasByte(word, '\r') | HasByte(word, '"') | HasByte(word, '\0');
    if (found != 0) return pos + static_cast<std::size_t>(__builtin_ctzll(found) / 8);
    pos += 8;
  }
  while (pos < in.size() && !kSpecial[static_cast<unsigned char>(in[pos])]) ++pos;
  return pos;
}

// A field found while parsing: `offset` of its first byte (its opening quote if quoted) in the
// record, `begin` and `size` of its contents in the input or in the record's scratch.
using FieldSpan = CsvRecord::Span;

class RecordParser {
 public:
  RecordParser(std::string_view input, bool at_eof, std::size_t max_fields, std::uint64_t line, std::string_view origin,
               CsvRecord& record)
      : in_(input), at_eof_(at_eof), max_fields_(max_fields), origin_(origin), record_(record) {
    record_.line = line;
    record_.count = 0;
    record_.line_feeds = 0;
    record_.scratch.clear();
  }

  Result<CsvStep> Run(std::size_t& consumed) {
    if (in_.empty()) {
      if (at_eof_) return CsvStep::kEnd;
      return CsvStep::kNeedMore;
    }
    record_.spans.clear();
    std::size_t pos = 0;
    while (true) {
      auto field = ParseField(pos);
      if (!field) return field.error();
      if (*field == Outcome::kNeedMore) return NeedMore();
      // pos is at the separator (or the end of the input at end of file).
      if (pos < in_.size() && in_[pos] == ',') {
        ++pos;
        continue;
      }
      std::size_t end = pos;
      if (pos < in_.size() && in_[pos] == '\r') ++pos;  // checked to be followed by '\n'
      if (pos < in_.size()) {
        ++pos;  // the '\n'
        ++record_.line_feeds;
      }
      consumed = pos;
      if (end > kMaxCsvRecordBytes) return TooLong();
      Finish(end);
      return CsvStep::kRecord;
    }
  }

 private:
  enum class Outcome { kDone, kNeedMore };

  Result<Outcome> ParseField(std::size_t& pos) {
    FieldSpan span{pos, pos, 0, false};
    if (pos < in_.size() && in_[pos] == '"') {
      auto quoted = ParseQuoted(pos, span);
      if (!quoted || *quoted == Outcome::kNeedMore) return quoted;
    } else {
      pos = SkipPlainBytes(in_, pos);
      span.size = pos - span.begin;
      if (pos < in_.size()) {
        const char c = in_[pos];
        if (c == '"') return Fail(pos, "quote inside an unquoted field (quote the whole field)");
        if (c == '\0') return Fail(pos, "NUL byte");
      }
    }
    // What follows a field: ',' '\n' "\r\n" or the end of the file.
    if (pos == in_.size()) {
      if (!at_eof_) return Outcome::kNeedMore;
    } else if (in_[pos] == '\r') {
      if (pos + 1 == in_.size() && !at_eof_) return Outcome::kNeedMore;
      if (pos + 1 == in_.size() || in_[pos + 1] != '\n')
        return Fail(pos, "carriage return not followed by a line feed");
    } else if (in_[pos] != ',' && in_[pos] != '\n') {
      return Fail(pos, "unexpected text after a closing quote");
    }
    if (pos > kMaxCsvRecordBytes) return TooLong();
    ++record_.count;
    if (record_.spans.size() < max_fields_) record_.spans.push_back(span);
    return Outcome::kDone;
  }

  // A quoted field starting at `pos` (its opening quote); leaves `pos` after the closing quote.
  Result<Outcome> ParseQuoted(std::size_t& pos, FieldSpan& span) {
    const std::size_t start = pos++;
    span.begin = pos;
    bool escaped = false;
    while (true) {
      std::size_t q = pos;
      while (q < in_.size() && in_[q] != '"' && in_[q] != '\0') ++q;
      if (q == in_.size()) {
        if (q - start > kMaxCsvRecordBytes) return TooLong();
        if (!at_eof_) return Outcome::kNeedMore;
        return Fail(start, "unterminated quoted field");
      }
      if (in_[q] == '\0') return Fail(q, "NUL byte");
      if (q + 1 == in_.size() && !at_eof_) return Outcome::kNeedMore;  // "" or the end?
      if (q + 1 < in_.size() && in_[q + 1] == '"') {
        // An escaped quote: the contents differ from the input, so they go to scratch.
        if (!escaped) {
          span.in_scratch = true;
          span.begin = record_.scratch.size();
          escaped = true;
        }
        record_.scratch.append(in_.data() + pos, q + 1 - pos);
        pos = q + 2;
        continue;
      }
      if (escaped) {
        record_.scratch.append(in_.data() + pos, q - pos);
        span.size = record_.scratch.size() - span.begin;
      } else {
        span.size = q - span.begin;
      }
      // Line feeds inside the quotes move the next record's line.
      const char* const close = in_.data() + q;
      for (const char* p = in_.data() + start;
           (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(close - p)))) != nullptr; ++p) {
        ++record_.line_feeds;
      }
      pos = q + 1;
      return Outcome::kDone;
    }
  }

  Result<CsvStep> NeedMore() {
    // Whoever gives a whole record limit plus one byte and still has no record end has a record
    // that is too long; say so rather than ask for more.
    if (in_.size() > kMaxCsvRecordBytes) return TooLong();
    return CsvStep::kNeedMore;
  }

  void Finish(std::size_t end) { record_.text = in_.substr(0, end); }

  Error Fail(std::size_t offset, std::string_view what) {
    record_.text = in_.substr(0, offset);
    return Error{std::string(origin_) + ":" + std::to_string(record_.LineAt(offset)) + ":" +
                 std::to_string(record_.ColumnAt(offset)) + ": " + std::string(what)};
  }

  Error TooLong() {
    return Error{std::string(origin_) + ":" + std::to_string(record_.line) + ":1: line longer than " +
                 std::to_string(kMaxCsvRecordBytes) + " bytes"};
  }

  std::string_view in_;
  bool at_eof_;
  std::size_t max_fields_;
  std::string_view origin_;
  CsvRecord& record_;
};

}  // namespace

std::uint64_t CsvRecord::LineAt(std::size_t offset) const {
  std::uint64_t at = line;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) at += text[i] == '\n';
  return at;
}

std::uint64_t CsvRecord::ColumnAt(std::size_t offset) const {
  const std::size_t limit = offset < text.size() ? offset : text.size();
  const std::size_t newline = text.substr(0, limit).rfind('\n');
  return newline == std::string_view::npos ? offset + 1 : offset - newline;
}

Result<CsvStep> ParseCsvRecord(std::string_view input, bool at_eof, std::size_t max_fields, std::uint64_t line,
                               std::string_view origin, CsvRecord& record, std::size_t& consumed) {
  consumed = 0;
  return RecordParser(input, at_eof, max_fields, line, origin, record).Run(consumed);
}

std::size_t ByteOrderMarkLength(std::string_view text) { return text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; }

std::string QuoteForError(std::string_view text, std::size_t max_bytes) {
  std::string out = "\"";
  std::size_t i = 0;
  while (i < text.size() && i < max_bytes) {
    const auto c = static_cast<unsigned char>(text[i]);
    // Length of the UTF-8 sequence starting here (0: not a valid lead byte).
    std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool valid = length != 0 && i + length <= text.size();
    for (std::size_t j = 1; valid && j < length; ++j) valid = (static_cast<unsigned char>(text[i + j]) & 0xC0) == 0x80;
    if (valid && length > 1 && i + length > max_bytes) break;  // do not cut a character in two
    if (!valid || c < 0x20 || c == 0x7F || c == '"' || c == '\\') {
      static constexpr char kHex[] = "0123456789abcdef";
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else {
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
      }
      ++i;
      continue;
    }
    out.append(text.data() + i, length);
    i += length;
  }
  out += '"';
  if (i < text.size()) out += "\xE2\x80\xA6";  // …
  return out;
}

// ---- CsvReader ----

namespace {
constexpr std::size_t kWindowBytes = 2 * kMaxCsvRecordBytes;
}  // namespace

CsvReader::~CsvReader() {
  if (fd_ >= 0) ::close(fd_);
}

CsvReader::CsvReader(CsvReader&& o) noexcept
    : path_(std::move(o.path_)),
      fd_(std::exchange(o.fd_, -1)),
      max_fields_(o.max_fields_),
      buffer_(std::move(o.buffer_)),
      begin_(o.begin_),
      end_(o.end_),
      eof_(o.eof_),
      line_(o.line_) {}

CsvReader& CsvReader::operator=(CsvReader&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(o.path_);
    fd_ = std::exchange(o.fd_, -1);
    max_fields_ = o.max_fields_;
    buffer_ = std::move(o.buffer_);
    begin_ = o.begin_;
    end_ = o.end_;
    eof_ = o.eof_;
    line_ = o.line_;
  }
  return *this;
}

Result<CsvReader> CsvReader::Open(const std::string& path, std::size_t max_fields) {
  CsvReader reader;
  reader.path_ = path;
  reader.max_fields_ = max_fields;
  auto fd = OpenRegularFile(path);  // a FIFO or a device: refused at once, never waited on
  if (!fd) return fd.error();
  reader.fd_ = *fd;
  reader.buffer_ = std::make_unique<char[]>(kWindowBytes);
  if (Status s = reader.Refill(); !s) return s.error();
  reader.begin_ = ByteOrderMarkLength(std::string_view(reader.buffer_.get(), reader.end_));
  return reader;
}

// Moves the unread bytes to the front and reads until the window is full or the file ends.
Status CsvReader::Refill() {
  std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
  while (!eof_ && end_ < kWindowBytes) {
    const ssize_t n = ::read(fd_, buffer_.get() + end_, kWindowBytes - end_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{path_ + ": read error: " + std::strerror(errno)};
    if (n == 0) eof_ = true;
    end_ += static_cast<std::size_t>(n);
  }
  return Status::Ok();
}

Result<bool> CsvReader::Next(CsvRecord& record) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::size_t consumed = 0;
    auto step = ParseCsvRecord(std::string_view(buffer_.get() + begin_, end_ - begin_), eof_, max_fields_, line_, path_,
                               record, consumed);
    if (!step) return step.error();
    if (*step == CsvStep::kEnd) return false;
    if (*step == CsvStep::kRecord) {
      line_ += record.line_feeds;
      begin_ += consumed;
      return true;
    }
    if (Status s = Refill(); !s) return s.error();
  }
  // A full window (more than one record limit) and still no record end: ParseCsvRecord refuses
  // that as too long, so this is not reached.
  return Error{Where(line_, 1) + ": line longer than " + std::to_string(kMaxCsvRecordBytes) + " bytes"};
}

std::string CsvReader::Where(std::uint64_t line, std::uint64_t column) const {
  return path_ + ":" + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace segverify::merkle
