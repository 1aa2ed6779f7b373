#include "merkle/liabilities_scan.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>

#include "common/mapped_range.h"
#include "common/parallel.h"
#include "merkle/step_progress.h"

namespace segverify::merkle {
namespace {

constexpr std::int64_t kNone = -1;

// What one chunk holds, for either quote state at its start (index 0: outside quotes).
struct ChunkCounts {
  std::uint64_t line_feeds = 0;
  std::uint64_t quotes = 0;
  std::uint64_t ends[2] = {0, 0};                // line feeds that end a record
  std::int64_t first_end[2] = {kNone, kNone};    // offset in the chunk of the first such line feed
  std::uint64_t feeds_before_first[2] = {0, 0};  // line feeds in the chunk before it
  std::int64_t last_end[2] = {kNone, kNone};
};

void CountChunk(const char* data, std::size_t size, ChunkCounts& c) {
  if (std::memchr(data, '"', size) == nullptr) {
    // No quotes (the usual file): every line feed ends a record when the chunk starts outside
    // quotes, none when it starts inside a quoted field.
    const char* const end = data + size;
    for (const char* p = data;
         (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)))) != nullptr; ++p) {
      if (c.first_end[0] == kNone) c.first_end[0] = p - data;
      c.last_end[0] = p - data;
      ++c.line_feeds;
    }
    c.ends[0] = c.line_feeds;
    return;
  }
  unsigned parity = 0;  // quotes seen so far in this chunk, mod 2
  for (std::size_t i = 0; i < size; ++i) {
    const char ch = data[i];
    if (ch == '"') {
      parity ^= 1;
      ++c.quotes;
    } else if (ch == '\n') {
      // Outside quotes when (state at start XOR parity) == 0, i.e. state == parity.
      const unsigned state = parity;
      if (c.first_end[state] == kNone) {
        c.first_end[state] = static_cast<std::int64_t>(i);
        c.feeds_before_first[state] = c.line_feeds;
      }
      c.last_end[state] = static_cast<std::int64_t>(i);
      ++c.ends[state];
      ++c.line_feeds;
    }
  }
}

// Every chunk's counts, read on `threads` threads (through memory maps: no copy).
Result<std::vector<ChunkCounts>> CountChunks(const std::string& path, std::uint64_t bytes,
                                             const LiabilitiesReadOptions& options) {
  const std::size_t chunk = std::max<std::size_t>(1, options.chunk_bytes);
  const std::size_t count = static_cast<std::size_t>((bytes + chunk - 1) / chunk);
  std::vector<ChunkCounts> counts(count);
  std::vector<Status> errors(options.threads);
  std::atomic<std::size_t> next{0};
  StepProgress progress(options.progress, "scanning liabilities" + std::string(kBytesUnit), bytes);
  RunParallel(options.threads, options.threads, [&](std::size_t worker) {
    for (std::size_t i; (i = next++) < count;) {
      const std::uint64_t offset = std::uint64_t{i} * chunk;
      const std::size_t size = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, bytes - offset));
      auto map = MappedRange::Open(path, offset, size);
      if (!map) {
        errors[worker] = map.error();
        return;
      }
      CountChunk(reinterpret_cast<const char*>(map->data()), size, counts[i]);
      progress.Add(size);
    }
  });
  for (const Status& s : errors) {
    if (!s.ok()) return s.error();
  }
  return counts;
}

// Calls visit(record) for every record of `slice`, read through a memory map, in order.
template <typename Visit>
Status ForEachRecord(const std::string& path, const LiabilitySlice& slice, std::size_t max_fields, CsvRecord& record,
                     Visit visit) {
  auto map = MappedRange::Open(path, slice.begin, slice.end - slice.begin);
  if (!map) return map.error();
  const std::string_view text = map->text();
  std::uint64_t line = slice.first_line;
  for (std::size_t pos = 0;;) {
    std::size_t consumed = 0;
    // The slice ends at a record boundary (or the file's end): nothing of its last record follows.
    auto step = ParseCsvRecord(text.substr(pos), /*at_eof=*/true, max_fields, line, path, record, consumed);
    if (!step) return step.error();
    if (*step != CsvStep::kRecord) return Status::Ok();
    if (Status s = visit(record); !s) return s;
    line += record.line_feeds;
    pos += consumed;
  }
}

// The result of parsing one slice.
struct SliceOutcome {
  Status status;
  std::uint64_t rows = 0;
  std::vector<u128> totals;
  bool overflow = false;  // some column total of this slice alone passed 2^128-1
};

SliceOutcome ParseSlice(const std::string& path, const std::vector<AssetSpec>& assets, const LiabilitySlice& slice,
                        std::uint64_t total_rows, unsigned worker, const LiabilityRowVisitor& visit, CsvRecord& record,
                        LiabilityRow& row) {
  SliceOutcome out;
  out.totals.assign(assets.size(), 0);
  out.status = ForEachRecord(path, slice, assets.size() + 2, record, [&](const CsvRecord& rec) -> Status {
    if (Status s = ReadLiabilityRow(rec, assets, path, row); !s) return s;
    const std::uint64_t ordinal = slice.first_row + out.rows;
    if (ordinal >= total_rows) {
      // Only a slice cut in the wrong place (after an earlier malformed byte) gets here; the
      // earlier slice reports that byte.
      return Error{path + ": more rows than counted (the file changed while being read?)"};
    }
    for (std::size_t i = 0; i < assets.size() && !out.overflow; ++i) {
      auto total = CheckedAdd(out.totals[i], row.amounts[i]);
      if (total)
        out.totals[i] = *total;
      else
        out.overflow = true;
    }
    if (Status s = visit(worker, ordinal, row); !s) return s;
    ++out.rows;
    return Status::Ok();
  });
  return out;
}

// Reads `slice` again in order, adding to `totals`, to find the exact cell (or an earlier row
// error) where a column total passes 2^128-1.
Status LocateOverflow(const std::string& path, const std::vector<AssetSpec>& assets, const LiabilitySlice& slice,
                      std::vector<u128> totals) {
  CsvRecord record;
  LiabilityRow row;
  Status found = ForEachRecord(path, slice, assets.size() + 2, record, [&](const CsvRecord& rec) -> Status {
    if (Status s = ReadLiabilityRow(rec, assets, path, row); !s) return s;
    return AddToTotals(rec, row, assets, path, totals);
  });
  if (found.ok()) return Error{path + ": column total exceeds 2^128-1 base units"};  // not reached
  return found;
}

}  // namespace

Result<LiabilitiesLayout> ScanLiabilities(const std::string& path, const std::vector<AssetSpec>& assets,
                                          const LiabilitiesReadOptions& options) {
  {
    auto header_reader = LiabilitiesReader::Open(path, assets);  // checks the header
    if (!header_reader) return header_reader.error();
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Error{path + ": cannot open: " + std::strerror(errno)};
  if (!S_ISREG(st.st_mode)) return Error{path + ": not a regular file"};
  LiabilitiesLayout layout;
  layout.bytes = static_cast<std::uint64_t>(st.st_size);
  auto counts = CountChunks(path, layout.bytes, options);  // (empty for an empty file)
  if (!counts) return counts.error();

  // Walk the chunks in order: quote state, line feeds and record ends before each.
  const std::uint64_t chunk = std::max<std::size_t>(1, options.chunk_bytes);
  unsigned state = 0;
  std::uint64_t feeds = 0, ends = 0;
  std::int64_t last_end = kNone;       // absolute offset of the last record-ending line feed
  std::vector<LiabilitySlice> starts;  // boundaries: the byte after a record end, with its position
  for (std::size_t i = 0; i < counts->size(); ++i) {
    const ChunkCounts& c = (*counts)[i];
    const std::uint64_t base = i * chunk;
    if (c.first_end[state] != kNone) {
      LiabilitySlice start;
      start.begin = base + static_cast<std::uint64_t>(c.first_end[state]) + 1;
      start.first_line = 1 + feeds + c.feeds_before_first[state] + 1;
      start.first_row = ends + 1;  // records before it, the header included
      starts.push_back(start);
      last_end = static_cast<std::int64_t>(base) + c.last_end[state];
    }
    feeds += c.line_feeds;
    ends += c.ends[state];
    state ^= static_cast<unsigned>(c.quotes & 1);
  }
  const bool trailing = layout.bytes > static_cast<std::uint64_t>(last_end + 1);  // a last line without a line feed
  const std::uint64_t records = ends + (trailing ? 1 : 0);
  layout.rows = records == 0 ? 0 : records - 1;
  for (std::size_t j = 0; j < starts.size(); ++j) {
    LiabilitySlice slice = starts[j];
    slice.end = j + 1 < starts.size() ? starts[j + 1].begin : layout.bytes;
    if (slice.first_row == 0) continue;  // cannot happen: the first boundary ends the header
    slice.first_row -= 1;                // the header is not a row
    if (slice.begin < slice.end) layout.slices.push_back(slice);
  }
  return layout;
}

Result<std::vector<u128>> ReadLiabilitySlices(const std::string& path, const std::vector<AssetSpec>& assets,
                                              const LiabilitiesLayout& layout, const LiabilitiesReadOptions& options,
                                              const LiabilityRowVisitor& visit) {
  const std::size_t count = layout.slices.size();
  std::vector<SliceOutcome> outcomes(count);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> first_failed{count};  // slices after a failed one need not be read
  std::uint64_t slice_bytes = 0;
  for (const LiabilitySlice& slice : layout.slices) slice_bytes += slice.end - slice.begin;
  StepProgress progress(options.progress, "reading liabilities" + std::string(kBytesUnit), slice_bytes);
  RunParallel(options.threads, options.threads, [&](std::size_t worker) {
    CsvRecord record;  // reused: no allocation per row once warm
    LiabilityRow row;
    for (std::size_t i; (i = next++) < count;) {
      const LiabilitySlice& slice = layout.slices[i];
      if (i < first_failed) {
        outcomes[i] = ParseSlice(path, assets, slice, layout.rows, static_cast<unsigned>(worker), visit, record, row);
        if (!outcomes[i].status.ok() || outcomes[i].overflow) {
          for (std::size_t seen = first_failed; i < seen && !first_failed.compare_exchange_weak(seen, i);) {
          }
        }
      }
      progress.Add(slice.end - slice.begin);
    }
  });
  // In file order: the first error, or the first slice where a running total overflows.
  std::vector<u128> totals(assets.size(), 0);
  std::uint64_t rows = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const SliceOutcome& o = outcomes[i];
    bool overflow = o.overflow;
    std::vector<u128> next_totals = totals;
    for (std::size_t a = 0; a < assets.size() && !overflow; ++a) {
      auto sum = CheckedAdd(next_totals[a], o.totals[a]);
      if (sum)
        next_totals[a] = *sum;
      else
        overflow = true;
    }
    if (overflow) return LocateOverflow(path, assets, layout.slices[i], totals).error();
    if (!o.status.ok()) return o.status.error();
    if (layout.slices[i].first_row != rows) return Error{path + ": changed while being read"};
    totals = std::move(next_totals);
    rows += o.rows;
  }
  if (rows != layout.rows) return Error{path + ": changed while being read"};
  return totals;
}

}  // namespace segverify::merkle
