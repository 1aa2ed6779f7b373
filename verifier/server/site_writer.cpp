#include "verifier/server/site_writer.h"

#include "common/file_io.h"
#include "common/output_dir.h"

namespace segverify::server {

Status WriteSiteDirectory(const std::string& target, const std::vector<std::pair<std::string, std::string>>& files) {
  if (Status s = CheckReplaceable(target, {kSiteMarker}, "--out"); !s) return s;
  auto staged = StagedDirectory::Create(target);
  if (!staged) return staged.error();
  for (const auto& [name, content] : files) {
    if (name.empty() || name.find('/') != std::string::npos || name.starts_with(".")) {
      return Error{"internal error: bad site file name \"" + name + "\""};
    }
    if (Status s = WriteFileAtomic(staged->path() + "/" + name, content); !s) return s;
  }
  if (Status s = WriteFileAtomic(staged->path() + "/" + std::string(kSiteMarker), "segverify status site\n"); !s)
    return s;
  return staged->Commit();
}

}  // namespace segverify::server
