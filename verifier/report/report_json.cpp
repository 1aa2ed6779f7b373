#include "verifier/report/report_json.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <set>
#include <tuple>

#include "common/file_io.h"
#include "common/hex.h"
#include "common/json.h"
#include "common/printable.h"
#include "merkle/amount.h"
#include "merkle/json_fields.h"
#include "verifier/report/public_view.h"
#include "verifier/report/published_files.h"

namespace segverify::report {
namespace {

// ---- writing ------------------------------------------------------------------------------------

constexpr std::size_t kMaxTextLength = 4096;  // any one string a page may show (checked when read)
// Characters shown of one list item (an error), escapes counted as shown (common/printable.h
// PrintableCut): at most 600 + 3 code points of at most 4 bytes each stay under kMaxTextLength.
constexpr std::size_t kMaxShownTextChars = 600;
static_assert((kMaxShownTextChars + 3) * 4 <= kMaxTextLength);

// RapidJSON's PrettyWriter hides (does not override) Writer's methods, so the field writers are
// templates over the writer type rather than functions of a Writer&.
template <typename W>
class FieldWriter {
 public:
  explicit FieldWriter(W& w) : w_(w) {}

  void Key(std::string_view key) { WriteJsonKey(w_, key); }
  // Report text is shown by pages and terminals: made printable as it is written (common/printable.h).
  // Printable is idempotent, so a report read back and written again is unchanged.
  void Text(std::string_view key, std::string_view value) {
    Key(key);
    WriteJsonString(w_, Printable(value));
  }
  void OptionalText(std::string_view key, const std::optional<std::string>& value) {
    Key(key);
    if (value)
      WriteJsonString(w_, Printable(*value));
    else
      w_.Null();
  }
  void Amount(const std::optional<u128>& amount, int decimals) {
    if (amount)
      WriteJsonString(w_, merkle::FormatAmount(*amount, decimals));
    else
      w_.Null();
  }
  void TextArray(std::string_view key, const std::vector<std::string>& items) {
    Key(key);
    w_.StartArray();
    for (const std::string& item : items) WriteJsonString(w_, PrintableCut(item, kMaxShownTextChars));
    w_.EndArray();
  }

  void Chains(const std::vector<ChainReport>& chains) {
    Key("chains");
    w_.StartObject();
    for (const ChainReport& c : chains) {
      Key(c.chain);
      w_.StartObject();
      Key(HeightKey(c.family));
      w_.Uint64(c.height);
      OptionalText("block_hash", c.block_hash);
      OptionalText("block_time", c.block_time);
      TextArray("sources", c.sources);
      if (c.reads) {
        Text("reads", *c.reads);
        TextArray("agreed_reads", c.agreed_reads);
      }
      if (!c.balance_slots.empty()) {
        Key("balance_slots");
        w_.StartObject();
        for (const auto& [symbol, slot] : c.balance_slots) {
          Key(symbol);
          w_.StartObject();
          Key("slot");
          w_.Uint64(slot.slot);
          Text("layout", slot.layout);
          w_.EndObject();
        }
        w_.EndObject();
      }
      w_.EndObject();
    }
    w_.EndObject();
  }

  void Address(const AddressReport& a, const std::vector<AssetCoverage>& assets) {
    w_.StartObject();
    Text("chain", a.chain);
    Text("address", a.address);
    Text("type", a.type);
    Text("proof", a.proof);
    Text("ownership", ToString(a.ownership));
    if (!a.balances.empty()) {
      Key("balances");
      w_.StartObject();
      for (const AddressBalance& b : a.balances) {
        Key(b.symbol);
        Amount(b.amount, DecimalsOf(assets, b.symbol));
      }
      w_.EndObject();
    }
    if (a.vault) Vault(*a.vault);
    w_.EndObject();
  }

  void Vault(const VaultReport& v) {
    Key("vault");
    w_.StartObject();
    Text("kind", v.kind);
    if (v.kind != "unknown") {
      Text("version", v.version);
      Text("singleton", v.singleton);
      TextArray("owners", v.owners);
      Key("threshold");
      w_.Uint64(v.threshold);
      TextArray("modules", v.modules);
      TextArray("firm_owners", v.firm_owners);
      TextArray("contract_owners", v.contract_owners);
      OptionalText("guard", v.guard);
      OptionalText("fallback_handler", v.fallback_handler);
      if (!v.fallback_handler_check.empty()) Text("fallback_handler_check", v.fallback_handler_check);
      if (v.setup) {
        Key("setup");
        w_.StartObject();
        Key("block");
        if (v.setup->block)
          w_.Uint64(*v.setup->block);
        else
          w_.Null();
        OptionalText("initializer", v.setup->initializer);
        Text("check", v.setup->check);
        Text("reads", v.setup->reads);
        w_.EndObject();
      }
    }
    w_.EndObject();
  }

  void Root(const std::optional<merkle::PublishedRoot>& root) {
    Key("root");
    if (!root) {
      w_.Null();
      return;
    }
    w_.StartObject();
    Text("hash", ToHex(root->hash));
    Key("sums");
    w_.StartArray();
    for (std::size_t i = 0; i < root->sums.size(); ++i) Amount(root->sums[i], root->assets[i].decimals);
    w_.EndArray();
    Key("height");
    w_.Uint(root->height);
    w_.EndObject();
  }

  void Pool(const PoolReport& p) {
    w_.StartObject();
    Text("name", p.name);
    Key("holds");
    w_.Bool(p.holds);
    Key("accounts");
    w_.Uint64(p.accounts);
    Root(p.root);
    Key("assets");
    w_.StartArray();
    for (const AssetCoverage& a : p.assets) {
      w_.StartObject();
      Text("symbol", a.asset.symbol);
      Key("decimals");
      w_.Int(a.asset.decimals);
      Key("liabilities");
      Amount(a.liabilities, a.asset.decimals);
      Key("reserves");
      Amount(a.reserves, a.asset.decimals);
      Key("covered");
      if (a.covered)
        w_.Bool(*a.covered);
      else
        w_.Null();
      w_.EndObject();
    }
    w_.EndArray();
    Key("addresses");
    w_.StartArray();
    for (const AddressReport& a : p.addresses) Address(a, p.assets);
    w_.EndArray();
    w_.EndObject();
  }

  void Findings(const std::vector<Finding>& findings) {
    Key("findings");
    w_.StartArray();
    for (const Finding& f : findings) {
      w_.StartObject();
      Text("check", ToString(f.check));
      Text("subject", f.subject);
      Text("detail", f.detail);
      Text("severity", ToString(f.severity));
      w_.EndObject();
    }
    w_.EndArray();
  }

  // `errors`: each problem's line, as every reader since the first format knows it; `problems`: the
  // same problems as values, in the same order (docs/FORMAT.md "report.json").
  void Problems(const std::vector<Problem>& problems) {
    Key("errors");
    w_.StartArray();
    // Cut so that each stays within what a reader of the report accepts: an error text of any size
    // must not make `publish` refuse the report.
    for (const Problem& p : problems) WriteJsonString(w_, PrintableCut(p.line, kMaxShownTextChars));
    w_.EndArray();
    Key("problems");
    w_.StartArray();
    for (const Problem& p : problems) {
      w_.StartObject();
      Text("kind", ToString(p.kind));
      Text("chain", p.chain);
      Key("source");
      if (p.source)
        w_.Uint64(*p.source);
      else
        w_.Null();
      Text("subject", p.subject);
      Text("asset", p.asset);
      Key("detail");
      WriteJsonString(w_, PrintableCut(p.detail, kMaxShownTextChars));
      w_.EndObject();
    }
    w_.EndArray();
  }

  void Document(const Report& r, std::string_view format) {
    w_.StartObject();
    Text("format", format);
    Text("id", r.id);
    Text("verdict", ToString(r.verdict));
    Text("message", r.message);
    if (r.as_of) Text("as_of", *r.as_of);
    Chains(r.chains);
    Key("pools");
    w_.StartArray();
    for (const PoolReport& p : r.pools) Pool(p);
    w_.EndArray();
    Key("firm");
    w_.StartObject();
    Key("addresses");
    w_.StartArray();
    for (const AddressReport& a : r.firm_addresses) Address(a, {});
    w_.EndArray();
    w_.EndObject();
    Findings(r.findings);
    Problems(r.problems);
    Key("inputs");
    w_.StartObject();
    Text("config_sha256", r.config_sha256);
    Key("liabilities_sha256");
    w_.StartObject();
    for (const auto& [pool, hash] : r.liabilities_sha256) Text(pool, hash);
    w_.EndObject();
    w_.EndObject();
    Key("tool");
    w_.StartObject();
    Text("name", "segverify");
    Text("version", r.tool_version);
    w_.EndObject();
    w_.EndObject();
  }

 private:
  static int DecimalsOf(const std::vector<AssetCoverage>& assets, std::string_view symbol) {
    for (const AssetCoverage& a : assets) {
      if (a.asset.symbol == symbol) return a.asset.decimals;
    }
    return 0;
  }

  W& w_;
};

// ---- reading ------------------------------------------------------------------------------------

constexpr std::size_t kMaxNameLength = 128;  // ids, pool names, check names

Result<std::string> ReadText(const JsonObjectReader& reader, std::string_view key, std::size_t max_length,
                             bool allow_empty = true) {
  auto text = reader.String(key);
  if (!text) return text.error();
  if (!allow_empty && text->empty()) return reader.FieldError(key, "must not be empty");
  if (text->size() > max_length) return reader.FieldError(key, "longer than " + std::to_string(max_length) + " bytes");
  for (char c : *text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return reader.FieldError(key, "contains a control character");
  }
  return text;
}

Result<std::vector<std::string>> ReadTextArray(const JsonObjectReader& reader, std::string_view key) {
  auto array = reader.Array(key);
  if (!array) return array.error();
  std::vector<std::string> out;
  for (rapidjson::SizeType i = 0; i < (*array)->Size(); ++i) {
    const JsonValue& v = (**array)[i];
    if (!v.IsString() || v.GetStringLength() > kMaxTextLength) {
      return reader.FieldError(JsonIndex(key, i),
                               "expected a string of at most " + std::to_string(kMaxTextLength) + " bytes");
    }
    out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

// An amount string in whole units of `asset`, or null when `nullable`.
Result<std::optional<u128>> ReadAmount(const JsonObjectReader& reader, std::string_view key,
                                       const merkle::AssetSpec& asset, bool nullable) {
  auto value = reader.Member(key);
  if (!value) return value.error();
  if ((*value)->IsNull() && nullable) return std::optional<u128>();
  auto text = reader.String(key);
  if (!text) return text.error();
  auto amount = merkle::ParseAmount(*text, asset.decimals, JsonField(reader.path(), key));
  if (!amount) return Error{reader.origin() + ": " + amount.error().message};
  return std::optional<u128>(*amount);
}

// A string, null or absent (absent and null both read as nullopt).
Result<std::optional<std::string>> ReadOptionalText(const JsonObjectReader& reader, std::string_view key,
                                                    std::size_t max_length) {
  if (!reader.Has(key)) return std::optional<std::string>();
  auto value = reader.Member(key);
  if (!value) return value.error();
  if ((*value)->IsNull()) return std::optional<std::string>();
  auto text = ReadText(reader, key, max_length);
  if (!text) return text.error();
  return std::optional<std::string>(std::move(*text));
}

Result<VaultReport> ReadVault(const JsonObjectReader& reader) {
  if (Status s = reader.CheckIsObject(); !s) return s.error();
  VaultReport vault;
  auto kind = ReadText(reader, "kind", kMaxNameLength, false);
  if (!kind) return kind.error();
  vault.kind = std::move(*kind);
  if (vault.kind == "unknown") return vault;
  auto version = ReadText(reader, "version", kMaxNameLength);
  if (!version) return version.error();
  vault.version = std::move(*version);
  auto singleton = ReadText(reader, "singleton", kMaxNameLength);
  if (!singleton) return singleton.error();
  vault.singleton = std::move(*singleton);
  for (auto [key, field] : {std::pair{"owners", &vault.owners},
                            {"modules", &vault.modules},
                            {"firm_owners", &vault.firm_owners},
                            {"contract_owners", &vault.contract_owners}}) {
    auto list = ReadTextArray(reader, key);
    if (!list) return list.error();
    *field = std::move(*list);
  }
  auto threshold = reader.Uint64("threshold");
  if (!threshold) return threshold.error();
  vault.threshold = *threshold;
  for (auto [key, field] : {std::pair{"guard", &vault.guard}, {"fallback_handler", &vault.fallback_handler}}) {
    auto text = ReadOptionalText(reader, key, kMaxNameLength);
    if (!text) return text.error();
    *field = std::move(*text);
  }
  if (reader.Has("fallback_handler_check")) {
    auto check = ReadText(reader, "fallback_handler_check", kMaxNameLength);
    if (!check) return check.error();
    vault.fallback_handler_check = std::move(*check);
  }
  if (reader.Has("setup")) {
    auto object = reader.Object("setup");
    if (!object) return object.error();
    JsonObjectReader setup(**object, reader.origin(), reader.path() + ".setup");
    SafeSetupReport out;
    auto block = setup.Member("block");
    if (!block) return block.error();
    if (!(*block)->IsNull()) {
      auto number = setup.Uint64("block");
      if (!number) return number.error();
      out.block = *number;
    }
    auto initializer = ReadOptionalText(setup, "initializer", kMaxNameLength);
    auto check = ReadText(setup, "check", kMaxNameLength);
    auto reads = ReadText(setup, "reads", kMaxNameLength);
    if (!initializer) return initializer.error();
    if (!check) return check.error();
    if (!reads) return reads.error();
    out.initializer = std::move(*initializer);
    out.check = std::move(*check);
    out.reads = std::move(*reads);
    vault.setup = std::move(out);
  }
  return vault;
}

bool IsBlockHash(std::string_view text) {
  if (text.starts_with("0x")) text.remove_prefix(2);
  Hash256 bytes;
  return FromHexExact(text, bytes);
}

class ReportReader {
 public:
  ReportReader(std::string origin, ReportReading reading, std::string_view format)
      : origin_(std::move(origin)), reading_(reading), format_(format) {}

  Result<Report> Read(const JsonValue& root);

 private:
  Status ReadChains(const JsonObjectReader& reader, Report& report);
  Result<PoolReport> ReadPool(const JsonObjectReader& reader);
  Result<AssetCoverage> ReadAsset(const JsonObjectReader& reader);
  Result<AddressReport> ReadAddress(const JsonObjectReader& reader, const std::vector<AssetCoverage>& assets);
  Result<std::vector<AddressReport>> ReadAddresses(const JsonObjectReader& reader, std::string_view key,
                                                   const std::vector<AssetCoverage>& assets);
  Status ReadFindings(const JsonObjectReader& reader, Report& report);
  Status ReadProblems(const JsonObjectReader& reader, Report& report);
  Status ReadInputs(const JsonObjectReader& reader, Report& report);

  JsonObjectReader Child(const JsonValue& value, const std::string& path) const {
    return JsonObjectReader(value, origin_, path);
  }

  std::string origin_;
  ReportReading reading_;
  std::string_view format_;
};

Status ReportReader::ReadChains(const JsonObjectReader& reader, Report& report) {
  auto object = reader.Object("chains");
  if (!object) return object.error();
  for (const auto& member : (*object)->GetObject()) {
    ChainReport chain;
    chain.chain.assign(member.name.GetString(), member.name.GetStringLength());
    JsonObjectReader item = Child(member.value, JsonField("chains", chain.chain));
    if (Status s = item.CheckIsObject(); !s) return s;
    // The family is told by the height's key: "block" for an EVM chain, "height" for bitcoin.
    chain.family = item.Has("block") ? Chain::kEthereum : Chain::kBitcoin;
    auto height = item.Uint64(HeightKey(chain.family));
    if (!height) return height.error();
    chain.height = *height;
    auto hash = item.Member("block_hash");
    if (!hash) return hash.error();
    if (!(*hash)->IsNull()) {
      auto text = item.String("block_hash");
      if (!text) return text.error();
      if (!IsBlockHash(*text)) return item.FieldError("block_hash", "expected 64 hex characters");
      chain.block_hash = std::move(*text);
    }
    auto time = ReadOptionalText(item, "block_time", kMaxNameLength);
    if (!time) return time.error();
    chain.block_time = std::move(*time);
    auto sources = ReadTextArray(item, "sources");
    if (!sources) return sources.error();
    chain.sources = std::move(*sources);
    if (item.Has("reads")) {
      auto reads = item.String("reads");
      if (!reads) return reads.error();
      if (*reads != "proven" && *reads != "agreed") return item.FieldError("reads", "expected proven or agreed");
      chain.reads = std::move(*reads);
      auto agreed = ReadTextArray(item, "agreed_reads");
      if (!agreed) return agreed.error();
      chain.agreed_reads = std::move(*agreed);
    }
    if (item.Has("balance_slots")) {
      auto slots = item.Object("balance_slots");
      if (!slots) return slots.error();
      for (const auto& entry : (*slots)->GetObject()) {
        const std::string symbol(entry.name.GetString(), entry.name.GetStringLength());
        JsonObjectReader slot = Child(entry.value, JsonField(JsonField(item.path(), "balance_slots"), symbol));
        if (Status s = slot.CheckOnlyKeys({"slot", "layout"}); !s) return s;
        auto number = slot.Uint64("slot");
        if (!number) return number.error();
        auto layout = slot.String("layout");
        if (!layout) return layout.error();
        if (*layout != "solidity" && *layout != "vyper") return slot.FieldError("layout", "expected solidity or vyper");
        chain.balance_slots[symbol] = BalanceSlotReport{*number, std::move(*layout)};
      }
    }
    report.chains.push_back(std::move(chain));
  }
  return Status::Ok();
}

Result<AssetCoverage> ReportReader::ReadAsset(const JsonObjectReader& item) {
  if (Status s = item.CheckIsObject(); !s) return s.error();
  auto symbol = item.String("symbol");
  if (!symbol) return symbol.error();
  auto decimals = item.Uint64("decimals");
  if (!decimals) return decimals.error();
  auto spec = merkle::MakeAsset(*symbol, *decimals > 1000 ? 1000 : static_cast<long long>(*decimals));
  if (!spec) return item.ObjectError(spec.error().message);
  AssetCoverage asset;
  asset.asset = std::move(*spec);
  auto liabilities = ReadAmount(item, "liabilities", asset.asset, false);
  if (!liabilities) return liabilities.error();
  asset.liabilities = **liabilities;
  auto reserves = ReadAmount(item, "reserves", asset.asset, true);
  if (!reserves) return reserves.error();
  asset.reserves = *reserves;
  auto covered = item.Member("covered");
  if (!covered) return covered.error();
  if (!(*covered)->IsNull()) {
    auto flag = item.Bool("covered");
    if (!flag) return flag.error();
    asset.covered = *flag;
  }
  return asset;
}

Result<AddressReport> ReportReader::ReadAddress(const JsonObjectReader& item,
                                                const std::vector<AssetCoverage>& assets) {
  if (Status s = item.CheckIsObject(); !s) return s.error();
  AddressReport address;
  for (auto [key, field] : {std::pair{"chain", &address.chain},
                            {"address", &address.address},
                            {"type", &address.type},
                            {"proof", &address.proof}}) {
    auto text = ReadText(item, key, kMaxNameLength, false);
    if (!text) return text.error();
    *field = std::move(*text);
  }
  auto ownership_text = item.String("ownership");
  if (!ownership_text) return ownership_text.error();
  auto ownership = ParseOwnership(*ownership_text);
  if (!ownership) return item.FieldError("ownership", "unknown ownership \"" + *ownership_text + "\"");
  address.ownership = *ownership;
  if (item.Has("vault")) {
    auto object = item.Object("vault");
    if (!object) return object.error();
    auto vault = ReadVault(Child(**object, JsonField(item.path(), "vault")));
    if (!vault) return vault.error();
    address.vault = std::move(*vault);
  }
  if (!item.Has("balances")) return address;
  auto balances = item.Object("balances");
  if (!balances) return balances.error();
  JsonObjectReader reader = Child(**balances, JsonField(item.path(), "balances"));
  for (const auto& member : (*balances)->GetObject()) {
    const std::string symbol(member.name.GetString(), member.name.GetStringLength());
    const AssetCoverage* asset = nullptr;
    for (const AssetCoverage& a : assets) asset = a.asset.symbol == symbol ? &a : asset;
    if (asset == nullptr) return reader.FieldError(symbol, "not an asset of this pool");
    auto amount = ReadAmount(reader, symbol, asset->asset, true);
    if (!amount) return amount.error();
    address.balances.push_back({symbol, *amount});
  }
  return address;
}

Result<std::vector<AddressReport>> ReportReader::ReadAddresses(const JsonObjectReader& reader, std::string_view key,
                                                               const std::vector<AssetCoverage>& assets) {
  auto array = reader.Array(key);
  if (!array) return array.error();
  std::vector<AddressReport> out;
  for (rapidjson::SizeType i = 0; i < (*array)->Size(); ++i) {
    auto address = ReadAddress(Child((**array)[i], JsonIndex(JsonField(reader.path(), key), i)), assets);
    if (!address) return address.error();
    out.push_back(std::move(*address));
  }
  return out;
}

Result<PoolReport> ReportReader::ReadPool(const JsonObjectReader& reader) {
  if (Status s = reader.CheckIsObject(); !s) return s.error();
  PoolReport pool;
  auto name = ReadText(reader, "name", kMaxNameLength, false);
  if (!name) return name.error();
  pool.name = std::move(*name);
  auto holds = reader.Bool("holds");
  if (!holds) return holds.error();
  pool.holds = *holds;
  auto accounts = reader.Uint64("accounts");
  if (!accounts) return accounts.error();
  pool.accounts = *accounts;
  auto assets = reader.Array("assets");
  if (!assets) return assets.error();
  std::set<std::string> seen;
  for (rapidjson::SizeType i = 0; i < (*assets)->Size(); ++i) {
    auto asset = ReadAsset(Child((**assets)[i], JsonIndex(JsonField(reader.path(), "assets"), i)));
    if (!asset) return asset.error();
    if (!seen.insert(asset->asset.symbol).second) {
      return reader.FieldError(JsonIndex("assets", i), "duplicate asset " + asset->asset.symbol);
    }
    pool.assets.push_back(std::move(*asset));
  }
  if (pool.assets.empty()) return reader.FieldError("assets", "must list at least one asset");
  auto root = reader.Member("root");
  if (!root) return root.error();
  if (!(*root)->IsNull()) {
    auto object = reader.Object("root");
    if (!object) return object.error();
    std::vector<merkle::AssetSpec> specs;
    for (const AssetCoverage& a : pool.assets) specs.push_back(a.asset);
    auto parsed = merkle::ReadRootFields(Child(**object, JsonField(reader.path(), "root")), std::move(specs));
    if (!parsed) return parsed.error();
    pool.root = std::move(*parsed);
  }
  auto addresses = ReadAddresses(reader, "addresses", pool.assets);
  if (!addresses) return addresses.error();
  pool.addresses = std::move(*addresses);
  return pool;
}

Status ReportReader::ReadFindings(const JsonObjectReader& reader, Report& report) {
  auto array = reader.Array("findings");
  if (!array) return array.error();
  for (rapidjson::SizeType i = 0; i < (*array)->Size(); ++i) {
    JsonObjectReader item = Child((**array)[i], JsonIndex("findings", i));
    if (Status s = item.CheckIsObject(); !s) return s;
    Finding finding;
    auto check_text = item.String("check");
    if (!check_text) return check_text.error();
    auto check = ParseCheck(*check_text);
    if (!check) return item.FieldError("check", "unknown check \"" + *check_text + "\"");
    auto subject = ReadText(item, "subject", kMaxTextLength);
    if (!subject) return subject.error();
    auto detail = ReadText(item, "detail", kMaxTextLength);
    if (!detail) return detail.error();
    auto severity_text = item.String("severity");
    if (!severity_text) return severity_text.error();
    auto severity = ParseSeverity(*severity_text);
    if (!severity) return item.FieldError("severity", severity.error().message);
    report.findings.push_back({*check, std::move(*subject), std::move(*detail), *severity});
  }
  return Status::Ok();
}

// `errors` (lines) and, when present, `problems` (the same problems as values, one per line). A
// report written before `problems` existed reads each line as a problem of kind "other".
Status ReportReader::ReadProblems(const JsonObjectReader& reader, Report& report) {
  auto lines = ReadTextArray(reader, "errors");
  if (!lines) return lines.error();
  report.problems.resize(lines->size());
  for (std::size_t i = 0; i < lines->size(); ++i) report.problems[i].line = std::move((*lines)[i]);
  if (!reader.Has("problems")) return Status::Ok();
  auto array = reader.Array("problems");
  if (!array) return array.error();
  if ((*array)->Size() != report.problems.size()) {
    return reader.FieldError("problems", "lists " + std::to_string((*array)->Size()) + " problems, but errors lists " +
                                             std::to_string(report.problems.size()));
  }
  for (rapidjson::SizeType i = 0; i < (*array)->Size(); ++i) {
    JsonObjectReader item = Child((**array)[i], JsonIndex("problems", i));
    if (Status s = item.CheckIsObject(); !s) return s;
    Problem& problem = report.problems[i];
    auto kind_text = item.String("kind");
    if (!kind_text) return kind_text.error();
    auto kind = ParseProblemKind(*kind_text);
    if (!kind) return item.FieldError("kind", "unknown problem kind \"" + *kind_text + "\"");
    problem.kind = *kind;
    for (auto [key, field, limit] : {std::tuple{"chain", &problem.chain, kMaxNameLength},
                                     {"subject", &problem.subject, kMaxTextLength},
                                     {"asset", &problem.asset, kMaxNameLength},
                                     {"detail", &problem.detail, kMaxTextLength}}) {
      auto text = ReadText(item, key, limit);
      if (!text) return text.error();
      *field = std::move(*text);
    }
    auto source = item.Member("source");
    if (!source) return source.error();
    if (!(*source)->IsNull()) {
      auto index = item.Uint64("source");
      if (!index) return index.error();
      const ChainReport* chain = nullptr;
      for (const ChainReport& c : report.chains) chain = c.chain == problem.chain ? &c : chain;
      if (chain == nullptr || *index >= chain->sources.size()) {
        return item.FieldError("source", "not a source of chain \"" + problem.chain + "\"");
      }
      problem.source = static_cast<std::size_t>(*index);
    }
  }
  return Status::Ok();
}

Status ReportReader::ReadInputs(const JsonObjectReader& reader, Report& report) {
  auto inputs = reader.Object("inputs");
  if (!inputs) return inputs.error();
  JsonObjectReader in = Child(**inputs, "inputs");
  auto config = ReadText(in, "config_sha256", kMaxNameLength);
  if (!config) return config.error();
  report.config_sha256 = std::move(*config);
  auto hashes = in.Object("liabilities_sha256");
  if (!hashes) return hashes.error();
  JsonObjectReader by_pool = Child(**hashes, "inputs.liabilities_sha256");
  for (const auto& member : (*hashes)->GetObject()) {
    const std::string pool(member.name.GetString(), member.name.GetStringLength());
    auto hash = ReadText(by_pool, pool, kMaxNameLength);
    if (!hash) return hash.error();
    report.liabilities_sha256.emplace_back(pool, std::move(*hash));
  }
  return Status::Ok();
}

Result<Report> ReportReader::Read(const JsonValue& root) {
  JsonObjectReader reader = Child(root, "");
  if (Status s = reader.CheckFormat(format_); !s) return s.error();
  Report report;
  auto id = ReadText(reader, "id", kMaxNameLength, false);
  if (!id) return id.error();
  report.id = std::move(*id);
  auto verdict_text = reader.String("verdict");
  if (!verdict_text) return verdict_text.error();
  auto verdict = ParseVerdict(*verdict_text);
  if (!verdict) return reader.FieldError("verdict", verdict.error().message);
  report.verdict = *verdict;
  auto message = ReadText(reader, "message", kMaxTextLength);
  if (!message) return message.error();
  report.message = std::move(*message);
  if (reader.Has("as_of")) {
    auto as_of = reader.String("as_of");
    if (!as_of) return as_of.error();
    if (!ParseUtcTime(*as_of)) return reader.FieldError("as_of", "expected a UTC time (ISO 8601)");
    report.as_of = std::move(*as_of);
  }
  if (Status s = ReadChains(reader, report); !s) return s.error();
  auto pools = reader.Array("pools");
  if (!pools) return pools.error();
  std::set<std::string> names;
  for (rapidjson::SizeType i = 0; i < (*pools)->Size(); ++i) {
    auto pool = ReadPool(Child((**pools)[i], JsonIndex("pools", i)));
    if (!pool) return pool.error();
    if (!names.insert(pool->name).second)
      return reader.FieldError(JsonIndex("pools", i), "duplicate pool " + pool->name);
    report.pools.push_back(std::move(*pool));
  }
  auto firm = reader.Object("firm");
  if (!firm) return firm.error();
  auto firm_addresses = ReadAddresses(Child(**firm, "firm"), "addresses", {});
  if (!firm_addresses) return firm_addresses.error();
  report.firm_addresses = std::move(*firm_addresses);
  if (Status s = ReadFindings(reader, report); !s) return s.error();
  if (Status s = ReadProblems(reader, report); !s) return s.error();
  if (Status s = ReadInputs(reader, report); !s) return s.error();
  auto tool = reader.Object("tool");
  if (!tool) return tool.error();
  auto version = ReadText(Child(**tool, "tool"), "version", kMaxNameLength);
  if (!version) return version.error();
  report.tool_version = std::move(*version);
  if (reading_ == ReportReading::kVerdictBacked) {
    if (auto contradiction = VerdictContradiction(report)) return reader.FieldError("verdict", *contradiction);
  }
  return report;
}

}  // namespace

std::string ReportToJson(const Report& report, const ReportJsonStyle& style) {
  rapidjson::StringBuffer buffer;
  if (style.pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
    w.SetIndent(' ', 2);
    FieldWriter(w).Document(report, style.format);
    return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
  }
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  FieldWriter(w).Document(report, style.format);
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<Report> ParseReport(std::string_view json, std::string_view origin, ReportReading reading,
                           std::string_view format) {
  auto doc = ParseJson(json, origin, JsonLimits{kMaxPublishedFileBytes, 32});
  if (!doc) return doc.error();
  return ReportReader(std::string(origin), reading, format).Read(**doc);
}

Result<Report> ReadReportFile(const std::string& path) {
  auto text = ReadFileLimited(path, kMaxPublishedFileBytes);
  if (!text) return text.error();
  return ParseReport(*text, path);
}

}  // namespace segverify::report
