// The libFuzzer entry of one fuzz binary: SEGVERIFY_FUZZ_ENTRY names the function from
// fuzz/entries/fuzz_entries.h (set per target in fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>

#include "fuzz/entries/fuzz_entries.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  segverify::fuzz::SEGVERIFY_FUZZ_ENTRY(segverify::fuzz::FuzzInput(data, size));
  return 0;
}
