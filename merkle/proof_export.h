// Exporting every inclusion proof of a tree, on every core.
//
// Three destinations: one JSON document per line in a file (written all or nothing: staged beside
// the file and renamed when complete), the same lines to a stream (stdout), or one file per
// account in a directory (docs/DESIGN.md §Command line: DIR/ab/abcd….json, named by the hex SHA-256
// of the account id, in 256 subfolders — for an exchange to serve each client their own proof),
// also staged beside the directory and renamed into place when complete.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/progress.h"
#include "common/result.h"
#include "merkle/tree_store.h"

namespace segverify::merkle {

struct ProofExportOptions {
  unsigned threads = 0;       // 0: one per core
  bool replace = false;       // directory export: replace an earlier export in the directory
  ProgressCallback progress;  // "exporting proofs" (proofs)
};

// "ab/abcd….json": where an account's proof goes in an export directory.
std::string ProofFileName(std::string_view account_id);

// Every proof, in leaf order, one per line.
[[nodiscard]] Status ExportProofsToFile(const TreeStore& tree, const std::string& path,
                                        const ProofExportOptions& options);
[[nodiscard]] Status ExportProofsToStream(const TreeStore& tree, const std::function<Status(std::string_view)>& write,
                                          const ProofExportOptions& options);
// Every proof in its own file under `dir`. `dir` must not exist, or be empty, or (with
// options.replace) hold an earlier export (two-hex-digit folders only).
[[nodiscard]] Status ExportProofsToDirectory(const TreeStore& tree, const std::string& dir,
                                             const ProofExportOptions& options);

}  // namespace segverify::merkle
