// What the public may see of a report (docs/DESIGN.md §Public faces),
// shared by every public face: report.html, the status page, status.json, the public copy of
// report.json that `publish` writes, and the embed.
//
// - Words: PASS "holds", FAIL "does not hold", ERROR "could not be checked". An ERROR never reads
//   as a shortfall: unknown reserves are "unknown", a pool of an ERROR run "could not be checked".
// - No node URL, source path or config path: sources are named by chain and index ("bitcoin
//   source 2"), config paths ("pools[0].addresses[4].proof") become words ("pool spot address
//   0x…"), file paths become "a file".
// - Plain words for findings, ownership and vaults; a date from the pinned blocks' block_time; an
//   explorer link per address.
// Every function is a deterministic function of its arguments (no clock).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/report/report.h"

namespace segverify::report {

// "holds", "does not hold", "could not be checked".
std::string_view VerdictWords(Verdict verdict);
// One plain sentence saying what the verdict means for a client.
std::string_view VerdictSentence(Verdict verdict);

// How one pool reads in public: "holds", "does not hold" (a shortfall or error finding was
// measured in a run that could check everything) or "could not be checked" (anything else that
// is not a hold — in an ERROR run a pool never reads "does not hold").
enum class Standing { kHolds, kDoesNotHold, kUnknown };
Standing PoolStanding(const PoolReport& pool, Verdict verdict);
// The whole attestation's standing: PASS holds, FAIL does not hold, ERROR could not be checked.
Standing VerdictStanding(Verdict verdict);
std::string_view StandingWords(Standing standing);

// "covered", "not covered" or "unknown" (reserves or liabilities not established).
std::string_view CoverageWords(const AssetCoverage& asset);

// The report as the public may see it: each chain's sources renamed "<chain> source <n>", every
// problem's line made by ProblemInWords, and every other text (a problem's detail, a finding's
// subject and detail) passed through PublicText. Idempotent.
Report PublicReport(const Report& report);

// `text` without node URLs, config paths or file paths, using `report` (the operator's report,
// with its source URLs) to name sources and pool addresses.
std::string PublicText(std::string_view text, const Report& report);

// A could-not-check problem in plain words, projected from its fields (never from its line's words):
// a source that gave no answer (unreachable, timed out) is "ethereum source 1 could not be
// reached"; an ownership proof that could not be checked is "the ownership proof of pool spot
// address 0x… could not be checked: <detail>"; any other problem is PublicText(line).
std::string ProblemInWords(const Problem& problem, const Report& report);

// What a finding means, in one plain sentence ("The same address is counted in two pools, …").
std::string ExplainFinding(const Finding& finding);

// "ownership proven by a BIP-322 signature", "no ownership proof", "could not be checked", …
std::string OwnershipWords(const AddressReport& address);

// A public block explorer's page for the address (mempool.space for bitcoin, etherscan.io for
// ethereum, the chain's own explorer for the known EVM chains), or nullopt.
std::optional<std::string> ExplorerUrl(std::string_view chain, std::string_view address);

// A UTC time as the report writes it ("2026-11-01T00:00:00Z"; fractional seconds and "+00:00"
// accepted) in unix seconds, or nullopt when it is not one.
std::optional<std::int64_t> ParseUtcTime(std::string_view iso);
// Unix seconds as report.json writes times: "2023-11-14T22:13:20Z" (UTC, ISO 8601).
std::string UnixToUtcIso(std::int64_t seconds);
// "1 November 2026, 00:00 UTC", or nullopt when `iso` is not a UTC time.
std::optional<std::string> FormatUtcTime(std::string_view iso);

// The --source arguments a visitor gives `segverify recheck` for this attestation, one per pinned
// chain, in report order: Blockstream's public Esplora for bitcoin, and for each EVM chain a
// placeholder for an archive node the visitor chooses ("--source ethereum=ethereum=https://
// YOUR-ETHEREUM-ARCHIVE-NODE"): no public EVM node keeps past state for everyone, and which node to
// trust is the visitor's choice.
std::vector<std::string> RecheckSourceArguments(const Report& report);

// The attestation's date: the latest block_time of its pinned blocks (ISO text), or nullopt when
// no chain carries one.
std::optional<std::string> AttestationTime(const Report& report);

}  // namespace segverify::report
