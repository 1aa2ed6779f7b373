// `segverify recheck SITE [--id ID] --source CHAIN=TYPE=URL [--source ...] [--ca-file F] [--timeout S]
// [--json] [--quiet]`: re-checks a published attestation with the caller's own nodes
// (docs/DESIGN.md §Public re-check; verifier/attest/recheck.h).
//
// Exit 0: re-checked PASS and published PASS, no difference. 1: re-checked FAIL, or the
// re-check differs from the published report (each difference named), or the site's files
// disagree. 2: could not check (site unreachable, a file missing or malformed, a source down,
// usage).
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/printable.h"
#include "common/progress.h"
#include "verifier/attest/recheck.h"
#include "verifier/cli/commands.h"
#include "verifier/cli/exit_codes.h"
#include "verifier/cli/published_site.h"
#include "verifier/cli/source_option.h"

namespace segverify::cli {
namespace {

struct RecheckArgs {
  std::string site;
  std::string id;  // empty: the current attestation
  std::vector<std::string> sources;
  std::string ca_file;
  std::optional<double> timeout_s;
  bool json = false;
  bool quiet = false;
};

// "CHAIN=TYPE=URL", the n-th --source (from 1).
Result<attest::RecheckSource> ParseRecheckSource(const std::string& text, std::size_t n) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    return Error{"--source: expected CHAIN=TYPE=URL (e.g. bitcoin=esplora=https://...)"};
  auto config = ParseSourceOption(std::string_view(text).substr(eq + 1), n);
  if (!config) return config.error();
  return attest::RecheckSource{text.substr(0, eq), std::move(*config)};
}

std::string_view OutcomeName(attest::RecheckOutcome outcome) {
  switch (outcome) {
    case attest::RecheckOutcome::kHolds:
      return "holds";
    case attest::RecheckOutcome::kDoesNotHold:
      return "does-not-hold";
    case attest::RecheckOutcome::kDiffers:
      return "differs";
    case attest::RecheckOutcome::kFilesDisagree:
      return "files-disagree";
    case attest::RecheckOutcome::kCannotCheck:
      return "cannot-check";
  }
  return "cannot-check";
}

std::string_view OutcomeSentence(attest::RecheckOutcome outcome) {
  switch (outcome) {
    case attest::RecheckOutcome::kHolds:
      return "re-checked PASS, as published: the attestation holds";
    case attest::RecheckOutcome::kDoesNotHold:
      return "re-checked FAIL, as published: the attestation does not hold";
    case attest::RecheckOutcome::kDiffers:
      return "the re-check disagrees with the published report";
    case attest::RecheckOutcome::kFilesDisagree:
      return "the published files disagree with each other";
    case attest::RecheckOutcome::kCannotCheck:
      return "could not be re-checked";
  }
  return "could not be re-checked";
}

int ExitCodeOf(attest::RecheckOutcome outcome) {
  switch (outcome) {
    case attest::RecheckOutcome::kHolds:
      return kExitHolds;
    case attest::RecheckOutcome::kDoesNotHold:
    case attest::RecheckOutcome::kDiffers:
    case attest::RecheckOutcome::kFilesDisagree:
      return kExitDoesNotHold;
    case attest::RecheckOutcome::kCannotCheck:
      return kExitCannotCheck;
  }
  return kExitCannotCheck;
}

void PrintText(const attest::PublishedAttestation& site, const attest::RecheckResult& result) {
  std::cout << "recheck of attestation " << Printable(site.report.id) << ": " << OutcomeSentence(result.outcome)
            << '\n';
  std::cout << "  published verdict: " << report::ToString(site.report.verdict) << '\n';
  for (const std::string& mismatch : result.file_mismatches) std::cout << "  mismatch: " << Printable(mismatch) << '\n';
  if (result.rechecked) {
    std::cout << "  re-checked verdict: " << report::ToString(result.rechecked->verdict) << '\n';
    for (const report::ChainReport& chain : result.rechecked->chains) {
      std::cout << "  " << Printable(chain.chain) << " " << report::HeightKey(chain.family) << " " << chain.height
                << ": block " << Printable(chain.block_hash.value_or("unknown")) << " from";
      for (const std::string& source : chain.sources) std::cout << ' ' << Printable(source);
      std::cout << '\n';
    }
  }
  for (const attest::Difference& d : result.differences) {
    std::cout << "  difference: " << Printable(d.what) << ": " << Printable(d.subject) << ": " << Printable(d.detail)
              << (d.definite ? "" : " (the re-check could not check everything)") << '\n';
  }
  if (!result.rechecked) return;
  const report::Report& rechecked = *result.rechecked;
  if (!rechecked.problems.empty()) {
    std::cout << "  " << rechecked.problems.size() << " check(s) could not be done (on stderr)\n";
  }
}

template <typename W>
void TextArray(W& w, std::string_view key, const std::vector<std::string>& items) {
  WriteJsonKey(w, key);
  w.StartArray();
  for (const std::string& item : items) WriteJsonString(w, item);
  w.EndArray();
}

// {"format":"segverify-recheck/1","id","outcome","published_verdict","rechecked_verdict",
//  "mismatches":[...],"differences":[{"what","subject","detail","definite"}],
//  "chains":{"<name>":{"height"|"block","block_hash","sources"}},"findings":[...],"errors":[...]}
std::string RecheckToJson(const attest::PublishedAttestation& site, const attest::RecheckResult& result) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  auto text = [&w](std::string_view key, std::string_view value) {
    WriteJsonKey(w, key);
    WriteJsonString(w, value);
  };
  w.StartObject();
  text("format", "segverify-recheck/1");
  text("id", site.report.id);
  text("outcome", OutcomeName(result.outcome));
  text("published_verdict", report::ToString(site.report.verdict));
  WriteJsonKey(w, "rechecked_verdict");
  if (result.rechecked)
    WriteJsonString(w, report::ToString(result.rechecked->verdict));
  else
    w.Null();
  TextArray(w, "mismatches", result.file_mismatches);
  WriteJsonKey(w, "differences");
  w.StartArray();
  for (const attest::Difference& d : result.differences) {
    w.StartObject();
    text("what", d.what);
    text("subject", d.subject);
    text("detail", d.detail);
    WriteJsonKey(w, "definite");
    w.Bool(d.definite);
    w.EndObject();
  }
  w.EndArray();
  WriteJsonKey(w, "chains");
  w.StartObject();
  if (result.rechecked) {
    for (const report::ChainReport& chain : result.rechecked->chains) {
      WriteJsonKey(w, chain.chain);
      w.StartObject();
      WriteJsonKey(w, report::HeightKey(chain.family));
      w.Uint64(chain.height);
      WriteJsonKey(w, "block_hash");
      if (chain.block_hash)
        WriteJsonString(w, *chain.block_hash);
      else
        w.Null();
      TextArray(w, "sources", chain.sources);
      w.EndObject();
    }
  }
  w.EndObject();
  WriteJsonKey(w, "findings");
  w.StartArray();
  if (result.rechecked) {
    for (const report::Finding& f : result.rechecked->findings) {
      w.StartObject();
      text("check", report::ToString(f.check));
      text("subject", f.subject);
      text("detail", f.detail);
      text("severity", report::ToString(f.severity));
      w.EndObject();
    }
  }
  w.EndArray();
  std::vector<std::string> lines;
  if (result.rechecked) {
    for (const Problem& p : result.rechecked->problems) lines.push_back(p.line);
  }
  TextArray(w, "errors", lines);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

int RunRecheck(const RecheckArgs& args) {
  std::vector<attest::RecheckSource> sources;
  for (const std::string& text : args.sources) {
    auto source = ParseRecheckSource(text, sources.size() + 1);
    if (!source) return ReportError(source.error().message);
    if (args.timeout_s) {
      source->config.timeout = std::chrono::milliseconds(static_cast<long long>(*args.timeout_s * 1000));
    }
    sources.push_back(std::move(*source));
  }
  clients::HttpOptions http;
  http.ca_file = args.ca_file;
  if (args.timeout_s) http.timeout = std::chrono::milliseconds(static_cast<long long>(*args.timeout_s * 1000));
  auto site = ReadPublishedSite(args.site, http, args.id);
  if (!site) return ReportError(site.error().message);

  std::unique_ptr<ProgressPrinter> printer = ProgressPrinter::ForStderr(args.quiet);
  attest::CheckEnvironment environment;
  environment.transports = clients::LiveTransports(http);
  if (printer) {
    environment.progress = [p = printer.get()](const std::string& line) { p->Note("recheck: " + line); };
    environment.work = printer->Callback();
  }
  auto result = attest::Recheck(*site, sources, environment);
  if (printer) printer->Finish();
  if (!result) return ReportError(result.error().message);
  if (args.json) {
    std::cout << RecheckToJson(*site, *result);
  } else {
    PrintText(*site, *result);
  }
  if (result->rechecked) {
    for (const Problem& p : result->rechecked->problems) ReportError(p.line);
  }
  return ExitCodeOf(result->outcome);
}

}  // namespace

void AddRecheckCommands(CLI::App& root, int& exit_code) {
  auto args = std::make_shared<RecheckArgs>();
  CLI::App* cmd = root.add_subcommand(
      "recheck",
      "Re-check a published attestation with your own nodes (exit 0 holds as published, 1 does not hold or "
      "differs, 2 could not check)");
  cmd->add_option("site", args->site,
                  "The published site: its https:// (or http://) URL, or a directory written by `segverify publish`")
      ->required();
  cmd->add_option("--id", args->id,
                  "Re-check an earlier attestation the site keeps under attestations/ID/ (default: the current one)");
  // One value per occurrence (docs/DESIGN.md §Command line), as `balances --source`.
  cmd->add_option("--source", args->sources,
                  "CHAIN=TYPE=URL, repeatable, at least one per chain of the attestation; CHAIN as the attestation "
                  "names it (bitcoin, ethereum, arbitrum, ...), TYPE bitcoin-core, esplora or ethereum. Bitcoin Core "
                  "credentials: URL userinfo or env SEGVERIFY_RPC_AUTH=user:pass")
      ->required()
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--ca-file", args->ca_file,
                  "PEM file of the CAs to trust for https (the site and the sources; default: the system store)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--timeout", args->timeout_s,
                  "deadline of every request, in seconds (default 60; Bitcoin Core scans 1800)")
      ->check(CLI::Range(0.1, 86400.0));
  cmd->add_flag("--json", args->json, "machine-readable output");
  cmd->add_flag("--quiet", args->quiet, "no progress on stderr");
  cmd->callback([args, &exit_code] {
    try {
      exit_code = RunRecheck(*args);
    } catch (const std::exception& e) {
      exit_code = ReportError(e.what());
    }
  });
}

}  // namespace segverify::cli
