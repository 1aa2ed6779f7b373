#include "verifier/cli/trusted_roots.h"

#include <algorithm>
#include <filesystem>

#include "common/file_io.h"
#include "common/hex.h"
#include "common/json.h"
#include "merkle/json_fields.h"
#include "verifier/cli/published_site.h"
#include "verifier/report/public_view.h"
#include "verifier/report/published_files.h"
#include "verifier/report/roots_json.h"

namespace segverify::cli {
namespace {

bool ByHash(const merkle::PublishedRoot& a, const merkle::PublishedRoot& b) { return a.hash < b.hash; }

// Is the text a roots.json (an array of records, or an object holding "roots") rather than a
// root.json? Decided on the parsed document, so that whitespace or key order do not matter.
bool IsRootsList(const JsonValue& doc) { return doc.IsArray() || (doc.IsObject() && doc.HasMember("roots")); }

Result<Hash256> ParseRootHash(std::string_view hex) {
  // Explorers and reports write hashes with "0x", root.json without: both are the same hash.
  if (hex.size() == 66 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
  Hash256 hash;
  if (!FromHexExact(hex, hash)) return Error{"--root-hash: expected 64 hex characters, with or without 0x"};
  return hash;
}

Result<TrustedRoots> FromRootFile(const std::string& path) {
  // A tree directory holds its root.json: name it rather than "is a directory".
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec) && std::filesystem::exists(path + "/root.json", ec)) {
    return Error{"--root: " + path + " is a tree directory; give its root file, " + path + "/root.json"};
  }
  auto text = ReadFileLimited(path, report::kMaxPublishedFileBytes);
  if (!text) return Error{"--root: " + text.error().message};
  auto doc = ParseJson(*text, path, JsonLimits{report::kMaxPublishedFileBytes, 16});
  if (doc && IsRootsList(**doc)) {
    auto roots = TrustedRoots::FromRootsJson(*text, path);
    if (!roots) return Error{"--root: " + roots.error().message};
    return roots;
  }
  auto root = merkle::ParsePublishedRoot(*text, path);
  if (!root) return Error{"--root: " + root.error().message};
  return TrustedRoots::FromRoot(std::move(*root));
}

}  // namespace

TrustedRoots TrustedRoots::FromRoot(merkle::PublishedRoot root) {
  TrustedRoots trusted;
  trusted.description_ = "root " + ToHex(root.hash) + (root.pool.empty() ? "" : " of pool " + root.pool);
  trusted.root_ = std::move(root);
  return trusted;
}

TrustedRoots TrustedRoots::FromHash(const Hash256& hash) {
  TrustedRoots trusted;
  trusted.hash_ = hash;
  trusted.description_ = "root " + ToHex(hash);
  return trusted;
}

Result<TrustedRoots> TrustedRoots::FromRootsJson(std::string_view text, std::string_view origin) {
  const std::string where(origin);
  TrustedRoots trusted;
  trusted.is_list_ = true;
  // The one reader of roots.json (report/roots_json.h): the plain array of earlier sites, or
  // {"roots":[…],"superseded":[…]} as publish writes it (docs/FORMAT.md "roots.json").
  auto published = report::ParsePublishedRoots(text, origin);
  if (!published) return published.error();
  std::vector<report::ListedRoot> records = std::move(published->current);
  trusted.superseded_ = std::move(published->superseded);
  if (records.empty()) return Error{where + ": lists no root"};
  for (const report::ListedRoot& record : records) {
    auto root = report::ToPublishedRoot(record, origin);
    if (!root) return root.error();
    trusted.listed_.push_back(std::move(*root));
  }
  std::stable_sort(trusted.listed_.begin(), trusted.listed_.end(), ByHash);
  trusted.description_ = records.size() == 1 ? "the root listed in " + where
                                             : "the " + std::to_string(records.size()) + " roots listed in " + where;
  return trusted;
}

merkle::ProofCheck TrustedRoots::Check(const merkle::InclusionProof& proof) const {
  if (!is_list_) return merkle::VerifyInclusionProof(proof, merkle::ExpectedRoot{root_, hash_});
  merkle::PublishedRoot key;
  key.hash = proof.root.hash;
  const auto [first, last] = std::equal_range(listed_.begin(), listed_.end(), key, ByHash);
  if (first != last) {
    // Usually one record; the same root listed for two runs is valid if either matches in full.
    merkle::ProofCheck check;
    for (auto it = first; it != last; ++it) {
      check = merkle::VerifyInclusionProof(proof, merkle::ExpectedRoot{*it, std::nullopt});
      if (check.verdict != merkle::ProofVerdict::kNotExpectedRoot) return check;
    }
    return check;
  }
  merkle::ProofCheck check = merkle::VerifyInclusionProof(proof, merkle::ExpectedRoot{});
  if (check.verdict != merkle::ProofVerdict::kValid) return check;
  check.verdict = merkle::ProofVerdict::kNotExpectedRoot;
  const std::string hash = ToHex(proof.root.hash);
  const auto replaced =
      std::find_if(superseded_.begin(), superseded_.end(), [&](const report::ListedRoot& r) { return r.hash == hash; });
  if (replaced != superseded_.end()) {
    check.reason = "this proof belongs to a run of " + replaced->report_id + " that was replaced on " +
                   replaced->superseded_at.value_or("").substr(0, 10) + "; ask for your proof of the current run";
  } else {
    check.reason = "proof's root " + ToHex(proof.root.hash) + " is not one of the published roots";
  }
  return check;
}

Result<TrustedRoots> LoadTrustedRoots(const RootOptions& options, const clients::HttpOptions& http) {
  const int given = int{!options.root.empty()} + int{!options.root_hash.empty()} + int{!options.site.empty()};
  if (given == 0) {
    return Error{
        "give the published root to check against: --root root.json|roots.json, --root-hash HEX or --site URL|DIR "
        "(a proof checked only against the root it carries proves nothing)"};
  }
  if (given > 1) return Error{"give only one of --root, --root-hash and --site"};
  if (!options.root_hash.empty()) {
    auto hash = ParseRootHash(options.root_hash);
    if (!hash) return hash.error();
    return TrustedRoots::FromHash(*hash);
  }
  if (!options.root.empty()) return FromRootFile(options.root);
  auto text = ReadSiteFile(options.site, "roots.json", http);
  if (!text) return Error{"--site: " + text.error().message};
  auto roots = TrustedRoots::FromRootsJson(*text, "roots.json");
  if (!roots) return Error{"--site: " + roots.error().message};
  return roots;
}

}  // namespace segverify::cli
