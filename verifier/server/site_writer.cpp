#include "verifier/server/site_writer.h"

#include <algorithm>
#include <filesystem>

#include "common/file_io.h"
#include "common/output_dir.h"

namespace segverify::server {

Status WriteSiteDirectory(const std::string& target, const std::vector<std::pair<std::string, std::string>>& files) {
  if (Status s = CheckReplaceable(target, {kSiteMarker}, "--out"); !s) return s;
  auto staged = StagedDirectory::Create(target);
  if (!staged) return staged.error();
  for (const auto& [name, content] : files) {
    // "index.html", or "attestations/<id>/<file>" (publish.h): no empty, hidden or parent parts.
    const std::size_t parts = static_cast<std::size_t>(std::count(name.begin(), name.end(), '/')) + 1;
    const bool archived = parts == 3 && name.starts_with("attestations/");
    bool clean = !name.empty() && (parts == 1 || archived);
    for (std::size_t at = 0; clean && at <= name.size();) {
      const std::size_t end = std::min(name.find('/', at), name.size());
      clean = end > at && name[at] != '.';
      at = end + 1;
    }
    if (!clean) return Error{"internal error: bad site file name \"" + name + "\""};
    const std::string path = staged->path() + "/" + name;
    if (archived) {
      std::error_code ec;
      std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
      if (ec) return Error{"--out: cannot create " + name.substr(0, name.rfind('/')) + ": " + ec.message()};
    }
    if (Status s = WriteFileAtomic(path, content); !s) return s;
  }
  if (Status s = WriteFileAtomic(staged->path() + "/" + std::string(kSiteMarker), "segverify status site\n"); !s)
    return s;
  return staged->Commit();
}

}  // namespace segverify::server
