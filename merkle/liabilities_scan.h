// A liabilities CSV read on every core, for the tree builder.
//
// Pass 1, ScanLiabilities: the file is cut into chunks that the threads read at once; each chunk
// counts its quotes and line feeds and notes its first and last line end outside quotes for
// either quote state at its start. Combined in file order, that gives the quote state at every
// chunk start (a quote opens or closes a field; an escaped quote is two quotes), hence a record
// boundary near every chunk start, with the line number and row ordinal there — and the number
// of rows, which the leaf shuffle needs before the first row is placed.
// Pass 2, ReadLiabilitySlices: the slices between those boundaries are parsed on every thread,
// each row handed to a visitor with its ordinal.
//
// Errors come out as a sequential reader would report them, the first in file order: a malformed
// file can misplace boundaries only after its first malformed byte, and the slice holding that
// byte starts at a true boundary and stops at that byte. A column total that passes 2^128-1 is
// found per slice, then located exactly by reading that slice again in order.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/progress.h"
#include "common/result.h"
#include "common/u128.h"
#include "merkle/asset.h"
#include "merkle/liabilities_csv.h"

namespace segverify::merkle {

struct LiabilitySlice {
  std::uint64_t begin = 0, end = 0;  // bytes [begin, end): whole records
  std::uint64_t first_line = 1;      // line number at `begin`
  std::uint64_t first_row = 0;       // ordinal of the row at `begin` (0: the first row after the header)
};

struct LiabilitiesLayout {
  std::uint64_t rows = 0;   // data rows (the header excluded)
  std::uint64_t bytes = 0;  // file size
  std::vector<LiabilitySlice> slices;
};

struct LiabilitiesReadOptions {
  unsigned threads = 1;
  std::size_t chunk_bytes = std::size_t{8} << 20;  // tests make it tiny to put boundaries everywhere
  ProgressCallback progress;                       // "scanning liabilities", "reading liabilities" (bytes)
};

// Checks the header and finds the slices. `path` must be a regular file (it is read twice).
[[nodiscard]] Result<LiabilitiesLayout> ScanLiabilities(const std::string& path, const std::vector<AssetSpec>& assets,
                                                        const LiabilitiesReadOptions& options);

// Called for every row, on worker `worker` (< options.threads), with the row's ordinal; the rows of
// one slice arrive in order, slices in any order. An error stops that slice.
using LiabilityRowVisitor = std::function<Status(unsigned worker, std::uint64_t ordinal, const LiabilityRow& row)>;

// Parses every row; returns the column totals, or the first error in file order.
[[nodiscard]] Result<std::vector<u128>> ReadLiabilitySlices(const std::string& path,
                                                            const std::vector<AssetSpec>& assets,
                                                            const LiabilitiesLayout& layout,
                                                            const LiabilitiesReadOptions& options,
                                                            const LiabilityRowVisitor& visit);

}  // namespace segverify::merkle
