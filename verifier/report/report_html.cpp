#include "verifier/report/report_html.h"

#include <algorithm>
#include <sstream>

#include "common/hex.h"
#include "common/markup.h"
#include "common/plural.h"
#include "merkle/amount.h"
#include "verifier/report/vault_words.h"

namespace segverify::report {
namespace {

// Reserves / liabilities as a ratio for the chart, capped at 2 (200%), without floating point
// in any value that is reported: this is only a bar length in pixels.
int BarPixels(u128 part, u128 whole, int full) {
  if (whole == 0) return part == 0 ? 0 : full;
  const u128 scaled = part / (whole / 1000 + 1);  // avoid overflow on huge amounts
  const u128 whole_scaled = whole / (whole / 1000 + 1);
  if (whole_scaled == 0) return full;
  const u128 px = scaled * static_cast<u128>(full) / whole_scaled;
  return static_cast<int>(std::min<u128>(px, static_cast<u128>(2 * full)));
}

}  // namespace

std::string ReportToHtml(const Report& r) {
  const std::string verdict(ToString(r.verdict));
  const char* color = r.verdict == Verdict::kPass ? "#1a7f37" : r.verdict == Verdict::kFail ? "#cf222e" : "#9a6700";
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    << "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
    << "<title>segverify attestation " << EscapeMarkup(r.id) << ": " << verdict << "</title><style>"
    << "body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:960px;color:#1f2328;padding:0 1rem}"
    << ".banner{padding:1.2rem 1.5rem;border-radius:8px;color:#fff;background:" << color << "}"
    << ".banner h1{margin:0;font-size:2rem}table{border-collapse:collapse;width:100%;margin:1rem 0}"
    << "th,td{border-bottom:1px solid #d0d7de;padding:.4rem .6rem;text-align:left;font-size:.92rem}"
    << "code{font-size:.85rem;word-break:break-all}.error{color:#cf222e}.info{color:#57606a}.vault{font-size:.85rem}"
    << "</style></head><body>\n";
  h << "<div class=\"banner\"><h1>Attestation " << EscapeMarkup(r.id) << ": <span id=\"verdict\">" << verdict
    << "</span></h1><p>" << EscapeMarkup(r.message) << "</p></div>\n";

  h << "<h2>Pinned blocks</h2><table><tr><th>chain</th><th>height</th><th>block hash</th><th>sources</th></tr>";
  for (const auto& c : r.chains) {
    h << "<tr><td>" << EscapeMarkup(c.chain) << "</td><td>" << c.height << "</td><td><code>"
      << (c.block_hash ? EscapeMarkup(*c.block_hash) : "(not agreed)") << "</code></td><td>" << c.sources.size()
      << "</td></tr>";
  }
  h << "</table>\n";

  for (const auto& p : r.pools) {
    h << "<h2>Pool " << EscapeMarkup(p.name) << (p.holds ? " &#10003; holds" : " &#10007; does not hold") << "</h2>";
    if (p.root) h << "<p>" << Count(p.accounts, "account", "accounts") << ", root <code>" << ToHex(p.root->hash) << "</code></p>";
    // Coverage chart: one bar pair per asset, reserves against liabilities (100% = 240 px).
    constexpr int kFull = 240;
    const int rows = static_cast<int>(p.assets.size());
    h << "<svg role=\"img\" aria-label=\"coverage of pool " << EscapeMarkup(p.name) << "\" width=\"720\" height=\""
      << 40 + rows * 44 << "\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">";
    h << "<line x1=\"" << 80 + kFull << "\" y1=\"0\" x2=\"" << 80 + kFull << "\" y2=\"" << 20 + rows * 44
      << "\" stroke=\"#57606a\" stroke-dasharray=\"4 3\"/>";
    h << "<rect x=\"80\" y=\"" << 14 + rows * 44 << "\" width=\"10\" height=\"10\" fill=\"#8c959f\"/>"
      << "<text x=\"95\" y=\"" << 23 + rows * 44 << "\">liabilities (100% at the dashed line)</text>"
      << "<rect x=\"330\" y=\"" << 14 + rows * 44 << "\" width=\"10\" height=\"10\" fill=\"#1a7f37\"/>"
      << "<text x=\"345\" y=\"" << 23 + rows * 44 << "\">reserves (red: below liabilities)</text>";
    for (int i = 0; i < rows; ++i) {
      const auto& a = p.assets[static_cast<std::size_t>(i)];
      const int y = 10 + i * 44;
      const int res = a.reserves ? BarPixels(*a.reserves, a.liabilities, kFull) : 0;
      h << "<text x=\"0\" y=\"" << y + 14 << "\">" << EscapeMarkup(a.asset.symbol) << "</text>"
        << "<rect x=\"80\" y=\"" << y << "\" width=\"" << (a.liabilities == 0 ? 0 : kFull) << "\" height=\"14\" fill=\"#8c959f\"/>"
        << "<rect x=\"80\" y=\"" << y + 16 << "\" width=\"" << res << "\" height=\"14\" fill=\""
        << (a.covered.value_or(false) ? "#1a7f37" : "#cf222e") << "\"/>"
        << "<text x=\"" << 90 + 2 * kFull << "\" y=\"" << y + 26 << "\">"
        << (!a.covered ? "reserves unknown" : *a.covered ? "covered" : "NOT covered")
        << "</text>";
    }
    h << "</svg>";
    h << "<table><tr><th>asset</th><th>liabilities</th><th>reserves</th><th>covered</th></tr>";
    for (const auto& a : p.assets) {
      h << "<tr><td>" << EscapeMarkup(a.asset.symbol) << "</td><td>" << merkle::FormatAmount(a.liabilities, a.asset.decimals)
        << "</td><td>" << (a.reserves ? merkle::FormatAmount(*a.reserves, a.asset.decimals) : "unknown") << "</td><td>"
        << (!a.covered ? "unknown" : *a.covered ? "yes" : "<b class=\"error\">no</b>") << "</td></tr>";
    }
    h << "</table><table><tr><th>address</th><th>type</th><th>proof</th><th>ownership</th></tr>";
    for (const auto& a : p.addresses) {
      h << "<tr><td><code>" << EscapeMarkup(a.address) << "</code></td><td>" << EscapeMarkup(a.type);
      if (a.vault) h << "<br><span class=\"vault\">" << EscapeMarkup(VaultPolicyInWords(*a.vault)) << "</span>";
      h << "</td><td>" << EscapeMarkup(a.proof) << "</td><td>" << EscapeMarkup(a.ownership) << "</td></tr>";
    }
    h << "</table>\n";
  }

  h << "<h2>Findings</h2>";
  if (r.findings.empty() && r.errors.empty()) h << "<p>None.</p>";
  if (!r.findings.empty()) {
    h << "<table id=\"findings\"><tr><th>check</th><th>severity</th><th>subject</th><th>detail</th></tr>";
    for (const auto& f : r.findings) {
      h << "<tr class=\"" << ToString(f.severity) << "\"><td>" << EscapeMarkup(f.check) << "</td><td>"
        << ToString(f.severity) << "</td><td><code>" << EscapeMarkup(f.subject) << "</code></td><td>" << EscapeMarkup(f.detail)
        << "</td></tr>";
    }
    h << "</table>";
  }
  if (!r.errors.empty()) {
    h << "<h3>Checks that could not be done</h3><ul>";
    for (const auto& e : r.errors) h << "<li class=\"error\">" << EscapeMarkup(e) << "</li>";
    h << "</ul>";
  }
  h << "<h2>Check your own balance</h2><ol>"
    << "<li>Get your inclusion proof from the exchange (a <code>segverify-proof/1</code> JSON file).</li>"
    << "<li>Run <code>segverify proof verify proof.json --root-hash HASH</code> with your pool's root hash above.</li>"
    << "<li>It must say <code>valid</code> and show your balances; anything else means your balance is not counted.</li>"
    << "</ol><p class=\"info\">Inputs: config sha256 <code>" << EscapeMarkup(r.config_sha256) << "</code>; segverify "
    << EscapeMarkup(r.tool_version) << "</p></body></html>\n";
  return h.str();
}

}  // namespace segverify::report
