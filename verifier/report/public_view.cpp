#include "verifier/report/public_view.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <vector>

namespace segverify::report {
namespace {

bool IsIdentifierChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Replaces every occurrence of `from` that is not followed by a digit (so "host:80" never matches
// inside "host:8080").
std::string ReplaceWhole(std::string text, std::string_view from, std::string_view to) {
  if (from.empty()) return text;
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    const std::size_t end = at + from.size();
    if (end < text.size() && IsDigit(text[end])) {
      at = end;
      continue;
    }
    text.replace(at, from.size(), to);
    at += to.size();
  }
  return text;
}

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  if (from.empty()) return text;
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string SourceName(std::string_view chain, std::size_t index) {
  return std::string(chain) + " source " + std::to_string(index + 1);
}

// Source URLs (as the operator's report shows them) → "<chain> source <n>". The chain the text
// starts with ("ethereum: …") is tried first, so a URL shared by two chains names the right one.
std::string NameSources(std::string text, const Report& report) {
  std::vector<const ChainReport*> order;
  for (const ChainReport& c : report.chains) {
    if (text.starts_with(c.chain + ":"))
      order.insert(order.begin(), &c);
    else
      order.push_back(&c);
  }
  for (const ChainReport* c : order) {
    for (std::size_t i = 0; i < c->sources.size(); ++i) {
      const std::string& shown = c->sources[i];
      if (shown.find("://") == std::string::npos) continue;  // already a name, not a URL
      const std::string name = SourceName(c->chain, i);
      text = ReplaceWhole(std::move(text), shown, name);
      text = ReplaceAll(std::move(text), name + " (" + name + ")", name);
    }
  }
  return text;
}

// Any remaining "scheme://…" → "a node".
std::string HideUrls(std::string text) {
  for (std::size_t at = text.find("://"); at != std::string::npos; at = text.find("://", at)) {
    std::size_t begin = at;
    while (begin > 0 && (std::isalnum(static_cast<unsigned char>(text[begin - 1])) != 0 || text[begin - 1] == '+' ||
                         text[begin - 1] == '.' || text[begin - 1] == '-')) {
      --begin;
    }
    std::size_t end = at + 3;
    while (end < text.size() && std::string_view(" \t)\"'<>,;").find(text[end]) == std::string_view::npos) ++end;
    while (end > at + 3 && std::string_view(":.").find(text[end - 1]) != std::string_view::npos) --end;
    text.replace(begin, end - begin, "a node");
    at = begin + 6;
  }
  return text;
}

// One segment of a config path: a field name or an index.
struct PathPart {
  std::string field;  // empty for an index
  std::size_t index = 0;
};

std::vector<PathPart> SplitConfigPath(std::string_view path) {
  std::vector<PathPart> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      std::size_t index = 0;
      for (++i; i < path.size() && IsDigit(path[i]); ++i) index = index * 10 + static_cast<std::size_t>(path[i] - '0');
      ++i;  // ']'
      parts.push_back({"", index});
      continue;
    }
    std::size_t end = i;
    while (end < path.size() && IsIdentifierChar(path[end])) ++end;
    parts.push_back({std::string(path.substr(i, end - i)), 0});
    i = end;
  }
  return parts;
}

std::string AddressAt(const std::vector<AddressReport>& addresses, std::size_t index) {
  return index < addresses.size() ? addresses[index].address : "number " + std::to_string(index + 1);
}

std::string_view FieldWords(std::string_view field) {
  if (field == "proof") return "ownership proof";
  if (field == "signature") return "ownership signature";
  if (field == "script") return "script";
  if (field == "liabilities") return "liabilities";
  if (field == "vault") return "vault";
  return "";
}

// "pools[0].addresses[4].proof" → "pool spot address 0x…, ownership proof".
std::string ConfigPathInWords(std::string_view path, const Report& report) {
  const std::vector<PathPart> parts = SplitConfigPath(path);
  std::string subject;
  std::vector<std::string_view> details;
  const PoolReport* pool = nullptr;
  bool firm = false;
  std::string chain;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const PathPart& part = parts[k];
    const bool indexed = k + 1 < parts.size() && parts[k + 1].field.empty();
    const std::size_t index = indexed ? parts[k + 1].index : 0;
    if (part.field == "pools" && indexed) {
      pool = index < report.pools.size() ? &report.pools[index] : nullptr;
      subject = pool != nullptr ? "pool " + pool->name : "pool number " + std::to_string(index + 1);
      ++k;
    } else if (part.field == "firm") {
      firm = true;
      subject = "firm";
    } else if (part.field == "addresses" && indexed) {
      const std::vector<AddressReport>& list = firm              ? report.firm_addresses
                                               : pool != nullptr ? pool->addresses
                                                                 : report.firm_addresses;
      subject +=
          " address " + (firm || pool != nullptr ? AddressAt(list, index) : "number " + std::to_string(index + 1));
      ++k;
    } else if (part.field == "chains" && k + 1 < parts.size() && !parts[k + 1].field.empty()) {
      chain = parts[k + 1].field;
      subject = chain;
      ++k;
    } else if (part.field == "sources" && indexed) {
      subject = SourceName(chain.empty() ? "chain" : chain, index);
      ++k;
    } else if (part.field == "assets" && indexed) {
      subject = "asset number " + std::to_string(index + 1);
      ++k;
    } else if (!FieldWords(part.field).empty()) {
      details.push_back(FieldWords(part.field));
    } else if (indexed) {
      ++k;
    }
  }
  if (subject.empty()) subject = "the configuration";
  for (std::string_view detail : details) subject += ", " + std::string(detail);
  return subject;
}

bool StartsConfigPath(std::string_view text, std::size_t at) {
  if (at > 0 && (IsIdentifierChar(text[at - 1]) || text[at - 1] == '.')) return false;
  for (std::string_view root : {"pools[", "firm.", "chains.", "assets["}) {
    if (text.substr(at).starts_with(root)) return true;
  }
  return false;
}

// The end of a config path starting at `at`; only a path with an index counts (so the plain
// words "pools" or "firm" are left alone).
std::size_t ConfigPathEnd(std::string_view text, std::size_t at, bool& has_index) {
  std::size_t end = at;
  has_index = false;
  while (end < text.size()) {
    const char c = text[end];
    if (IsIdentifierChar(c)) {
      ++end;
    } else if (c == '[') {
      std::size_t close = end + 1;
      while (close < text.size() && IsDigit(text[close])) ++close;
      if (close == end + 1 || close >= text.size() || text[close] != ']') break;
      has_index = true;
      end = close + 1;
    } else if (c == '.' && end + 1 < text.size() && (IsIdentifierChar(text[end + 1]))) {
      ++end;
    } else {
      break;
    }
  }
  return end;
}

std::string DescribeConfigPaths(std::string text, const Report& report) {
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (!StartsConfigPath(text, at)) continue;
    bool has_index = false;
    const std::size_t end = ConfigPathEnd(text, at, has_index);
    if (!has_index) continue;
    const std::string words = ConfigPathInWords(std::string_view(text).substr(at, end - at), report);
    text.replace(at, end - at, words);
    at += words.size();
  }
  return text;
}

bool LooksLikeFilePath(std::string_view token) {
  if (token.size() > 1 &&
      (token.starts_with("/") || token.starts_with("./") || token.starts_with("../") || token.starts_with("~/"))) {
    return true;
  }
  if (token.find('/') == std::string_view::npos) return false;
  for (std::string_view ext : {".csv", ".json", ".pem", ".crt", ".key", ".cookie", ".sqlite", ".txt", ".conf"}) {
    if (token.ends_with(ext)) return true;
  }
  return false;
}

// Whitespace-separated tokens that are file paths → "a file" (surrounding punctuation kept).
std::string HideFilePaths(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t') {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && text[end] != ' ' && text[end] != '\t') ++end;
    std::string_view token = text.substr(i, end - i);
    std::size_t lead = 0;
    while (lead < token.size() && std::string_view("(\"'[").find(token[lead]) != std::string_view::npos) ++lead;
    std::size_t trail = token.size();
    while (trail > lead && std::string_view(")\"':,;.]").find(token[trail - 1]) != std::string_view::npos) --trail;
    const std::string_view core = token.substr(lead, trail - lead);
    if (LooksLikeFilePath(core)) {
      out.append(token.substr(0, lead));
      out += "a file";
      out.append(token.substr(trail));
    } else {
      out.append(token);
    }
    i = end;
  }
  return out;
}

// "pool spot address 0x…", "firm address bc1q…" or "address …": where the report lists `address`.
std::string AddressInWords(std::string_view address, const Report& report) {
  for (const PoolReport& pool : report.pools) {
    for (const AddressReport& a : pool.addresses) {
      if (a.address == address) return "pool " + pool.name + " address " + std::string(address);
    }
  }
  for (const AddressReport& a : report.firm_addresses) {
    if (a.address == address) return "firm address " + std::string(address);
  }
  return "address " + std::string(address);
}

std::string_view ProofTypeName(std::string_view proof) {
  if (proof == "bip322") return "a BIP-322 signature";
  if (proof == "bip137") return "a BIP-137 signature";
  if (proof == "eip191") return "an EIP-191 signature";
  if (proof == "erc1271") return "the contract's ERC-1271 answer";
  return "a signature";
}

bool IsDateTimeDigits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return false;
  for (std::size_t i = at; i < at + count; ++i) {
    if (!IsDigit(text[i])) return false;
  }
  return true;
}

int Number(std::string_view text, std::size_t at, std::size_t count) {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t DaysFromCivil(int year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const int yoe = year - era * 400;
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

}  // namespace

std::string_view VerdictWords(Verdict verdict) { return StandingWords(VerdictStanding(verdict)); }

std::string_view VerdictSentence(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "At the pinned blocks, every client pool held at least the coins it owes its clients, in wallets the "
             "exchange proved it controls and that are kept apart from the exchange's own money.";
    case Verdict::kFail:
      return "Every check could be done, and at least one shows that client coins are not fully covered or not kept "
             "apart from the exchange's own money: see the findings below.";
    case Verdict::kError:
      return "Some data could not be read, so this attestation neither confirms nor rules out segregation. It does "
             "not mean that coins are missing.";
  }
  return "";
}

Standing PoolStanding(const PoolReport& pool, Verdict verdict) {
  if (pool.holds) return Standing::kHolds;
  if (verdict == Verdict::kError || !pool.root) return Standing::kUnknown;
  for (const AssetCoverage& asset : pool.assets) {
    if (asset.covered == false) return Standing::kDoesNotHold;
  }
  return Standing::kUnknown;
}

Standing VerdictStanding(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return Standing::kHolds;
    case Verdict::kFail:
      return Standing::kDoesNotHold;
    case Verdict::kError:
      return Standing::kUnknown;
  }
  return Standing::kUnknown;
}

std::string_view StandingWords(Standing standing) {
  switch (standing) {
    case Standing::kHolds:
      return "holds";
    case Standing::kDoesNotHold:
      return "does not hold";
    case Standing::kUnknown:
      return "could not be checked";
  }
  return "could not be checked";
}

std::string_view CoverageWords(const AssetCoverage& asset) {
  if (!asset.covered) return "unknown";
  return *asset.covered ? "covered" : "not covered";
}

std::string PublicText(std::string_view text, const Report& report) {
  std::string out = NameSources(std::string(text), report);
  out = HideUrls(std::move(out));
  out = DescribeConfigPaths(std::move(out), report);
  return HideFilePaths(out);
}

std::string ProblemInWords(const Problem& problem, const Report& report) {
  if (IsNoAnswer(problem.kind) && problem.source && FindChain(report, problem.chain) != nullptr) {
    return SourceName(problem.chain, *problem.source) + " could not be reached";
  }
  if (problem.kind == ProblemKind::kOwnershipUnchecked && !problem.subject.empty()) {
    return "the ownership proof of " + AddressInWords(problem.subject, report) + " could not be checked" +
           (problem.detail.empty() ? "" : ": " + PublicText(problem.detail, report));
  }
  return PublicText(problem.line, report);
}

Report PublicReport(const Report& report) {
  Report shown = report;
  for (ChainReport& c : shown.chains) {
    for (std::size_t i = 0; i < c.sources.size(); ++i) c.sources[i] = SourceName(c.chain, i);
  }
  for (Problem& p : shown.problems) {
    p.line = ProblemInWords(p, report);
    p.subject = PublicText(p.subject, report);
    p.detail = PublicText(p.detail, report);
  }
  for (Finding& f : shown.findings) {
    f.subject = PublicText(f.subject, report);
    f.detail = PublicText(f.detail, report);
  }
  return shown;
}

std::string ExplainFinding(const Finding& f) {
  const bool info = f.severity == Severity::kInfo;
  switch (f.check) {
    case Check::kOverlap:
      return "An address is listed both in a client pool and among the exchange's own (firm) addresses, so the same "
             "coins would count as client money and as the exchange's money.";
    case Check::kDoubleCount:
      return "The same address is counted more than once (in two pools, or twice in one), so its coins would be "
             "counted twice.";
    case Check::kSharedKey:
      return info ? "The exchange holds some keys of a client multisig wallet, but fewer than it takes to move the "
                    "coins on its own. Shown for information: this is the usual setup with an independent custodian."
                  : "A client-pool address is controlled by a key the exchange also uses for its own money, so client "
                    "coins and the exchange's coins are not kept apart.";
    case Check::kFirmControl:
      return "The exchange's own keys alone can move the coins of a client wallet, so those coins are not kept apart "
             "from the exchange's money.";
    case Check::kCoverage:
      return "The reserves of a pool are below what it owes its clients for an asset.";
    case Check::kOwnership:
      return "An ownership signature is missing or does not verify, so the exchange has not shown that it controls "
             "this address now.";
    case Check::kScriptMismatch:
      return "The script given for an address does not belong to it, so who controls the address cannot be read.";
    case Check::kSourcesDisagree:
      return "The blockchain sources gave different answers, so the balances could not be confirmed.";
    case Check::kBlockHash:
      return "The blockchain sources have another block at the pinned height than the one the attestation was made "
             "at, so its balances cannot be compared.";
    case Check::kVaultUnverified:
      if (info) break;
      return "A contract wallet in a client pool is not a recognized vault, or its owners include contracts that "
             "could be controlled by anyone, or a Taproot address of a client pool does not show every way it can "
             "be spent, so who controls the coins cannot be read.";
    case Check::kVaultModule:
      if (info) break;
      return "A vault has a module enabled, which can move its coins without the owners' signatures.";
    case Check::kTokenDecimals:
      return "A token contract reports a different number of decimals than the attestation assumed, so its amounts "
             "cannot be trusted.";
    case Check::kVaultGuard:
      break;
  }
  // A vault's guard, and any vault check shown for information.
  return "A vault has a guard contract set, which can restrict its transactions. Shown for information.";
}

std::string OwnershipWords(const AddressReport& a) {
  switch (a.ownership) {
    case Ownership::kValid:
      return "ownership proven by " + std::string(ProofTypeName(a.proof));
    case Ownership::kInvalid:
      return "ownership signature does not verify";
    case Ownership::kMissing:
      return "no ownership proof";
    case Ownership::kMalformed:
      return "ownership proof is malformed";
    case Ownership::kUnsupported:
      return "ownership proof of a kind that could not be checked";
    case Ownership::kCannotCheck:
    case Ownership::kInternalError:
      break;
  }
  return "ownership could not be checked";
}

std::optional<std::string> ExplorerUrl(std::string_view chain, std::string_view address) {
  if (address.empty() || !std::all_of(address.begin(), address.end(),
                                      [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; })) {
    return std::nullopt;
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kExplorers = {{
      {"bitcoin", "https://mempool.space/address/"},
      {"ethereum", "https://etherscan.io/address/"},
      {"arbitrum", "https://arbiscan.io/address/"},
      {"optimism", "https://optimistic.etherscan.io/address/"},
      {"base", "https://basescan.org/address/"},
      {"polygon", "https://polygonscan.com/address/"},
      {"bsc", "https://bscscan.com/address/"},
      {"avalanche", "https://snowtrace.io/address/"},
  }};
  for (const auto& [name, prefix] : kExplorers) {
    if (chain == name) return std::string(prefix) + std::string(address);
  }
  return std::nullopt;
}

std::optional<std::int64_t> ParseUtcTime(std::string_view iso) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00)
  if (!IsDateTimeDigits(iso, 0, 4) || iso.size() < 20 || iso[4] != '-' || !IsDateTimeDigits(iso, 5, 2) ||
      iso[7] != '-' || !IsDateTimeDigits(iso, 8, 2) || iso[10] != 'T' || !IsDateTimeDigits(iso, 11, 2) ||
      iso[13] != ':' || !IsDateTimeDigits(iso, 14, 2) || iso[16] != ':' || !IsDateTimeDigits(iso, 17, 2)) {
    return std::nullopt;
  }
  std::string_view zone = iso.substr(19);
  if (zone.starts_with(".")) {
    std::size_t digits = 1;
    while (digits < zone.size() && IsDigit(zone[digits])) ++digits;
    if (digits == 1) return std::nullopt;
    zone.remove_prefix(digits);
  }
  if (zone != "Z" && zone != "+00:00") return std::nullopt;
  const int year = Number(iso, 0, 4), month = Number(iso, 5, 2), day = Number(iso, 8, 2);
  const int hour = Number(iso, 11, 2), minute = Number(iso, 14, 2), second = Number(iso, 17, 2);
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  return DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

std::string UnixToUtcIso(std::int64_t seconds) {
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return "";
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::optional<std::string> FormatUtcTime(std::string_view iso) {
  if (!ParseUtcTime(iso)) return std::nullopt;
  static constexpr std::array<std::string_view, 12> kMonths = {"January",   "February", "March",    "April",
                                                               "May",       "June",     "July",     "August",
                                                               "September", "October",  "November", "December"};
  const int day = Number(iso, 8, 2);
  return std::to_string(day) + " " + std::string(kMonths[static_cast<std::size_t>(Number(iso, 5, 2) - 1)]) + " " +
         std::string(iso.substr(0, 4)) + ", " + std::string(iso.substr(11, 5)) + " UTC";
}

std::optional<std::string> AttestationTime(const Report& report) {
  std::optional<std::string> latest;
  std::int64_t latest_seconds = 0;
  for (const ChainReport& c : report.chains) {
    if (!c.block_time) continue;
    const auto seconds = ParseUtcTime(*c.block_time);
    if (!seconds) continue;
    if (!latest || *seconds > latest_seconds) {
      latest = *c.block_time;
      latest_seconds = *seconds;
    }
  }
  return latest;
}

std::vector<std::string> RecheckSourceArguments(const Report& report) {
  std::vector<std::string> arguments;
  for (const ChainReport& c : report.chains) {
    // Bitcoin's pin is a "height", an EVM chain's a "block" (report.json).
    if (c.family == Chain::kBitcoin) {
      arguments.push_back("--source " + c.chain + "=esplora=https://blockstream.info/api");
      continue;
    }
    std::string upper = c.chain;
    for (char& ch : upper) ch = ch == '_' ? '-' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    arguments.push_back("--source " + c.chain + "=ethereum=https://YOUR-" + upper + "-ARCHIVE-NODE");
  }
  return arguments;
}

}  // namespace segverify::report
