// The attestation report (format "segverify-report/1", DESIGN.md "report.json") and its two
// renderings. Both are deterministic functions of the Report value (no clock, no randomness), so
// a rerun on the same inputs and evidence gives byte-identical files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/u128.h"
#include "merkle/asset.h"
#include "merkle/published_root.h"
#include "verifier/report/finding.h"

namespace segverify::attest {

enum class Verdict { kPass, kFail, kError };
const char* VerdictName(Verdict v);  // "PASS", "FAIL", "ERROR"

struct ChainReport {
  std::string chain;      // "bitcoin", "ethereum"
  std::string height_key; // "height" (bitcoin) or "block" (ethereum)
  std::uint64_t height = 0;
  std::string block_hash;  // empty if it could not be agreed
  std::vector<std::string> sources;
};

struct AssetCoverage {
  merkle::AssetSpec asset;
  u128 liabilities = 0;
  std::optional<u128> reserves;  // nullopt: could not be established
  bool covered = false;
};

struct AddressReport {
  std::string chain;
  std::string address;  // canonical
  std::string type;     // p2wpkh, p2wsh, eoa, ...
  std::string proof;    // proof type, or "none"
  std::string ownership;  // "valid", "invalid", "missing", "unsupported", "malformed", "cannot-check"
  std::vector<std::pair<std::string, std::optional<u128>>> balances;  // symbol -> base units
};

struct PoolReport {
  std::string name;
  std::uint64_t accounts = 0;
  std::optional<merkle::PublishedRoot> root;
  std::vector<AssetCoverage> assets;
  std::vector<AddressReport> addresses;
  bool holds = false;
};

struct Report {
  std::string id;
  std::string message;
  Verdict verdict = Verdict::kError;
  std::vector<ChainReport> chains;
  std::vector<PoolReport> pools;
  std::vector<AddressReport> firm_addresses;
  std::vector<Finding> findings;
  std::vector<std::string> errors;  // why a check could not be done (verdict ERROR)
  std::string config_sha256;
  std::vector<std::pair<std::string, std::string>> liabilities_sha256;  // pool -> hex
  std::string tool_version;
};

std::string ReportToJson(const Report& report);
std::string ReportToHtml(const Report& report);

}  // namespace segverify::attest
