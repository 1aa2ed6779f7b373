// Inputs are regular files (docs/SECURITY.md, hostile files): a FIFO, a device or a socket given
// where a file is expected is refused at once, never waited on. open() of a FIFO with no writer
// blocks until one appears, and a read from it never ends: a run given one would hang forever.
#pragma once

#include <string>

#include "common/result.h"

namespace segverify {

// Opens `path` for reading, refusing anything but a regular file: a FIFO, a device or a socket
// fails at once with "<path>: is a FIFO, expected a regular
// file" instead of blocking the run forever (open() is non-blocking, the descriptor returned is
// blocking again). The caller closes the descriptor.
[[nodiscard]] Result<int> OpenRegularFile(const std::string& path);

// OpenRegularFile's check alone, for readers that open the file their own way (a stream).
[[nodiscard]] Status CheckRegularFile(const std::string& path);

}  // namespace segverify
