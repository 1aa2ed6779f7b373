// roots.json (format "segverify-roots/2", docs/FORMAT.md "roots.json"): every root a status site
// published, one entry per pool root, the current runs apart from the runs a later run of the same
// attestation id replaced. The one model of the file, with its one writer and its one reader: the
// status site writes it (verifier/server, from its history), `publish` reads back the one it
// replaces, `recheck` (verifier/attest) cross-checks a site's, and `proof verify --root` trusts
// its roots (verifier/cli).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "merkle/asset.h"
#include "merkle/published_root.h"
#include "verifier/report/report.h"

namespace segverify::report {

inline constexpr std::string_view kRootsFormat = "segverify-roots/2";

// One published pool root. Amounts stay the text the report wrote (whole units, normalized by
// FormatAmount when read from JSON): a history recorded before roots carried their assets has
// sums whose decimals are unknown. ToPublishedRoot gives the typed root a proof is checked against.
struct ListedRoot {
  std::string report_id;  // the attestation's id (`id`)
  std::string pool;
  std::string hash;               // 64 lower-case hex
  std::vector<std::string> sums;  // whole units, decimal text, one per asset
  unsigned height = 0;
  std::vector<merkle::AssetSpec> assets;     // the tree's assets; empty when the record did not carry them
  Verdict verdict = Verdict::kError;         // that attestation's verdict
  std::optional<std::string> attested_at;    // the attestation's date (AttestationTime), ISO
  std::int64_t first_seen = 0;               // unix seconds; the status server's history only, not in the file
  std::optional<std::string> superseded_at;  // ISO: when a new run of the same id replaced this root

  bool operator==(const ListedRoot&) const = default;
};

struct PublishedRoots {
  std::vector<ListedRoot> current;     // each id's current run, newest first
  std::vector<ListedRoot> superseded;  // replaced runs' roots, each with superseded_at, newest first
};

// One entry per pool of `report` that has a root (a pool without one published nothing), with the
// report's verdict and dated by its AttestationTime.
std::vector<ListedRoot> RootsOf(const Report& report);

// {"format":"segverify-roots/2","roots":[ROOT...],"superseded":[ROOT + "superseded_at"...]}, ROOT =
// {"id","pool","hash","sums","height","assets","verdict","attested_at"}, each list in its order.
std::string RootsToJson(const PublishedRoots& roots);

// A roots.json as RootsToJson writes it, or the plain array of roots that sites wrote before runs
// could be superseded (all current); every field checked (names, hashes, amounts against the
// assets' decimals, heights, verdicts, dates), at most 100,000 roots. `origin` names the text in
// errors.
[[nodiscard]] Result<PublishedRoots> ParsePublishedRoots(std::string_view json, std::string_view origin);

// The root a proof of this entry must match: hash, height, assets, sums and pool. Errors (naming
// `origin` and the hash) when the hash is not 64 hex, or the sums do not fit the assets.
[[nodiscard]] Result<merkle::PublishedRoot> ToPublishedRoot(const ListedRoot& listed, std::string_view origin);

}  // namespace segverify::report
