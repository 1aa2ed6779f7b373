#include "verifier/report/public_html.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "common/hex.h"
#include "common/markup.h"
#include "common/plural.h"
#include "merkle/amount.h"
#include "verifier/report/public_view.h"
#include "verifier/report/vault_words.h"

namespace segverify::report {
namespace {

constexpr std::string_view kStyleSheet =
    R"css(:root{--fg:#1f2328;--muted:#57606a;--bg:#f6f8fa;--card:#fff;--line:#d0d7de;--link:#0550ae;--pass:#1a7f37;--fail:#cf222e;--error:#9a6700}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:anywhere}
main{max-width:56rem;margin:0 auto;padding:.75rem}
a{color:var(--link)}
h1{font-size:1.45rem;line-height:1.25;margin:.25rem 0 .5rem}
h2{font-size:1.15rem;margin:0 0 .5rem}
h3{font-size:1rem;margin:.75rem 0 .25rem}
p{margin:.4rem 0}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em;word-break:break-all;overflow-wrap:anywhere}
.kicker{font-size:.85rem;margin:0 0 .5rem;color:var(--muted)}
.banner{border-radius:12px;padding:1rem;color:#fff;margin:0 0 1rem}
.banner .kicker{color:#fff}
.banner.v-pass{background:var(--pass)}.banner.v-fail{background:var(--fail)}.banner.v-error{background:var(--error)}
.banner-verdict{font-size:.9rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem;margin:0 0 1rem}
.card>:last-child{margin-bottom:0}
blockquote{margin:0;padding:.25rem 0 .25rem .75rem;border-left:4px solid var(--line)}
.muted{color:var(--muted)}
.small{font-size:.85rem}
.standing{display:inline-block;padding:0 .5rem;border-radius:1rem;font-size:.85rem;font-weight:600;border:1px solid currentColor}
.s-holds{color:var(--pass)}.s-does-not-hold{color:var(--fail)}.s-unknown{color:var(--error)}
ul.plain{list-style:none;padding:0;margin:0}
ul.plain>li{padding:.6rem 0;border-top:1px solid var(--line)}
ul.plain>li:first-child{border-top:0}
.asset-head{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.25rem .75rem;font-weight:600}
.bars{display:block;width:100%;height:1.5rem;margin:.3rem 0}
.amounts{display:grid;grid-template-columns:auto 1fr;gap:0 .75rem;font-size:.9rem;margin:0}
.amounts dt{color:var(--muted)}.amounts dd{margin:0;font-variant-numeric:tabular-nums}
.key{display:inline-block;width:.7rem;height:.7rem;border-radius:2px;margin-right:.3rem;vertical-align:-.05rem}
.key-l{background:#8c959f}.key-r{background:var(--pass)}.key-short{background:var(--fail)}
details>summary{cursor:pointer;color:var(--link);margin:.5rem 0}
.address .meta{display:block;font-size:.85rem;color:var(--muted)}
.address .balances{display:block;font-size:.9rem}
.problem{color:#82071e}
.finding .what{font-weight:600}
.finding.info .what{font-weight:400}
.sev{font-size:.75rem;text-transform:uppercase;letter-spacing:.04em;padding:0 .35rem;border-radius:4px;border:1px solid currentColor;margin-right:.35rem}
.sev-error{color:var(--fail)}.sev-info{color:var(--muted)}
dl.facts{margin:0}
dl.facts dt{font-size:.85rem;color:var(--muted);margin-top:.4rem}
dl.facts dd{margin:0}
textarea{width:100%;min-height:7rem;font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:.5rem;border:1px solid var(--line);border-radius:6px}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.5rem 0}
button,.file-button{font:inherit;font-size:.95rem;padding:.45rem .9rem;border-radius:6px;border:1px solid #1f6feb;background:#0969da;color:#fff;cursor:pointer}
.file-button{background:#fff;color:#0550ae}
.file-button input{position:absolute;width:1px;height:1px;opacity:0;overflow:hidden}
.file-button:focus-within{outline:2px solid #0969da;outline-offset:2px}
#verify-result{margin-top:.5rem}
#verify-result .verify-message{font-weight:600}
#verify-result.valid .verify-message{color:var(--pass)}
#verify-result.invalid .verify-message{color:var(--fail)}
#verify-result.neutral .verify-message{color:var(--muted)}
#verify-result.neutral{border-left:4px solid var(--line);padding-left:.6rem}
.current-note{margin-top:.5rem;padding:.5rem .75rem;border-radius:6px;background:var(--bg);border:1px solid var(--line)}
.shortfall{color:var(--fail);font-weight:600}
pre.command{white-space:pre-wrap;overflow-wrap:anywhere;margin:.5rem 0;padding:.5rem .75rem;background:var(--bg);border:1px solid var(--line);border-radius:6px;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.history li{display:flex;flex-wrap:wrap;gap:.1rem .75rem;align-items:baseline}
.history .when{min-width:10rem}
footer{font-size:.85rem;color:var(--muted);padding:0 .25rem 2rem}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--card:#161b22;--line:#30363d;--link:#4493f8;--pass:#3fb950;--fail:#f85149;--error:#d29922;color-scheme:dark}.banner.v-pass{background:#1a7f37}.banner.v-fail{background:#b62324}.banner.v-error{background:#7d4e00}.problem{color:#ff7b72}.file-button{background:var(--card);color:var(--link)}textarea{background:var(--bg);color:var(--fg)}.bars rect[fill="#eaeef2"]{fill:#30363d}}
.stale{border-color:var(--error);border-left:4px solid var(--error)}
@media (min-width:48rem){main{padding:1.5rem}h1{font-size:1.9rem}.banner{padding:1.5rem 1.75rem}.card{padding:1.25rem 1.5rem}}
)css";

std::string Escape(std::string_view text) { return EscapeMarkup(text); }

std::string_view VerdictClass(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "v-pass";
    case Verdict::kFail:
      return "v-fail";
    case Verdict::kError:
      return "v-error";
  }
  return "v-error";
}

// part / whole as a display number (never used in a check): long double keeps ~19 digits.
long double Ratio(u128 part, u128 whole) {
  auto to_ld = [](u128 v) {
    return static_cast<long double>(static_cast<std::uint64_t>(v >> 64)) * 18446744073709551616.0L +
           static_cast<long double>(static_cast<std::uint64_t>(v));
  };
  return whole == 0 ? 0.0L : to_ld(part) / to_ld(whole);
}

std::string Fixed(long double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*Lf", digits, value);
  return buffer;
}

std::string AmountText(const std::optional<u128>& amount, int decimals) {
  return amount ? merkle::FormatAmount(*amount, decimals) : "unknown";
}

// Two bars, liabilities (grey) above reserves (green, or red when below), scaled to the larger.
std::string CoverageBars(const AssetCoverage& a) {
  const u128 scale = a.reserves ? std::max(*a.reserves, a.liabilities) : a.liabilities;
  const std::string l = scale == 0 ? "0" : Fixed(100.0L * Ratio(a.liabilities, scale), 2);
  std::ostringstream svg;
  svg << "<svg class=\"bars\" viewBox=\"0 0 100 24\" preserveAspectRatio=\"none\" aria-hidden=\"true\">"
      << "<rect x=\"0\" y=\"1\" width=\"100\" height=\"10\" fill=\"#eaeef2\"/>"
      << "<rect x=\"0\" y=\"1\" width=\"" << l << "\" height=\"10\" fill=\"#8c959f\"/>"
      << "<rect x=\"0\" y=\"13\" width=\"100\" height=\"10\" fill=\"#eaeef2\"/>";
  if (a.reserves) {
    const std::string r = scale == 0 ? "0" : Fixed(100.0L * Ratio(*a.reserves, scale), 2);
    svg << "<rect x=\"0\" y=\"13\" width=\"" << r << "\" height=\"10\" fill=\""
        << (a.covered == false ? "#cf222e" : "#1a7f37") << "\"/>";
  }
  svg << "</svg>";
  return svg.str();
}

std::string AssetHtml(const AssetCoverage& a) {
  std::ostringstream h;
  const std::string symbol = Escape(a.asset.symbol);
  std::string ratio;
  if (a.reserves && a.liabilities != 0) ratio = " (" + CoveragePercent(*a.reserves, a.liabilities) + ")";
  h << "<li class=\"asset\"><div class=\"asset-head\"><span>" << symbol << "</span><span class=\"standing "
    << (a.covered == true    ? "s-holds"
        : a.covered == false ? "s-does-not-hold"
                             : "s-unknown")
    << "\">" << CoverageWords(a) << ratio << "</span></div>" << CoverageBars(a) << "<dl class=\"amounts\">"
    << "<dt><span class=\"key key-l\"></span>Owed to clients</dt><dd>"
    << merkle::FormatAmount(a.liabilities, a.asset.decimals) << " " << symbol << "</dd><dt><span class=\"key "
    << (a.covered == false ? "key-short" : "key-r") << "\"></span>Reserves</dt><dd>"
    << AmountText(a.reserves, a.asset.decimals) << (a.reserves ? " " + symbol : std::string()) << "</dd>";
  if (a.reserves && *a.reserves < a.liabilities) {
    h << "<dt class=\"shortfall\"><span class=\"key key-short\"></span>Shortfall</dt><dd class=\"shortfall\">"
      << merkle::FormatAmount(a.liabilities - *a.reserves, a.asset.decimals) << " " << symbol << "</dd>";
  }
  h << "</dl></li>";
  return h.str();
}

int DecimalsOf(const std::vector<AssetCoverage>& assets, std::string_view symbol) {
  for (const AssetCoverage& a : assets) {
    if (a.asset.symbol == symbol) return a.asset.decimals;
  }
  return 0;
}

std::string AddressHtml(const AddressReport& a, const std::vector<AssetCoverage>& assets) {
  std::ostringstream h;
  h << "<li class=\"address\"><code>" << Escape(a.address) << "</code><span class=\"meta\">" << Escape(a.chain) << " "
    << Escape(a.type) << " · " << Escape(OwnershipWords(a)) << "</span>";
  if (!a.balances.empty()) {
    h << "<span class=\"balances\">";
    for (std::size_t i = 0; i < a.balances.size(); ++i) {
      const AddressBalance& b = a.balances[i];
      h << (i == 0 ? "" : " · ") << AmountText(b.amount, DecimalsOf(assets, b.symbol)) << " " << Escape(b.symbol);
    }
    h << "</span>";
  }
  if (a.vault) h << "<span class=\"meta vault\">Vault: " << Escape(VaultPolicyInWords(*a.vault)) << "</span>";
  if (auto url = ExplorerUrl(a.chain, a.address)) {
    const std::string host = url->substr(8, url->find('/', 8) - 8);
    h << "<a class=\"small\" href=\"" << Escape(*url) << "\" rel=\"noopener noreferrer\">See it on " << Escape(host)
      << "</a>";
  }
  h << "</li>";
  return h.str();
}

std::string PoolHtml(const PoolReport& p, Verdict verdict) {
  const Standing standing = PoolStanding(p, verdict);
  std::ostringstream h;
  h << "<section class=\"card pool\"><h2>Pool " << Escape(p.name) << " <span class=\"standing "
    << StandingClass(standing) << "\">" << StandingWords(standing) << "</span></h2>";
  h << "<p class=\"small muted\">" << Count(p.accounts, "client account", "client accounts");
  if (p.root)
    h << " · root <code>" << ToHex(p.root->hash) << "</code>";
  else
    h << " · no published root (the liabilities could not be read)";
  h << "</p><ul class=\"plain\">";
  for (const AssetCoverage& a : p.assets) h << AssetHtml(a);
  h << "</ul>";
  if (!p.addresses.empty()) {
    h << "<details class=\"addresses\"><summary>" << Count(p.addresses.size(), "wallet address", "wallet addresses")
      << " with balances</summary><ul class=\"plain\">";
    for (const AddressReport& a : p.addresses) h << AddressHtml(a, p.assets);
    h << "</ul></details>";
  }
  h << "</section>";
  return h.str();
}

std::string BannerHtml(const Report& r) {
  const auto when = AttestationTime(r);
  std::ostringstream h;
  h << "<section class=\"banner " << VerdictClass(r.verdict)
    << "\"><p class=\"kicker\">Attestation <span id=\"attestation-id\">" << Escape(r.id)
    << "</span> · <span id=\"attestation-date\"" << (when ? " data-time=\"" + Escape(*when) + "\"" : std::string())
    << ">" << (when ? Escape(*FormatUtcTime(*when)) : std::string("date not recorded")) << "</span></p>"
    << "<h1>Segregation of client assets <span id=\"verdict-words\">" << VerdictWords(r.verdict) << "</span></h1>"
    << "<p>" << VerdictSentence(r.verdict) << "</p><p class=\"banner-verdict\">Verdict: <strong id=\"verdict\">"
    << ToString(r.verdict) << "</strong></p>";
  if (r.as_of) {
    const auto taken = FormatUtcTime(*r.as_of);
    h << "<p class=\"small\" id=\"as-of\">Client balances as of "
      << (taken ? Escape(*taken) : std::string("an unreadable time")) << "</p>";
  }
  h << "<p class=\"small\" id=\"block-times\">";
  // Every chain's pinned block and its time: the balances are those of these moments.
  for (std::size_t i = 0; i < r.chains.size(); ++i) {
    const ChainReport& c = r.chains[i];
    const auto time = c.block_time ? FormatUtcTime(*c.block_time) : std::nullopt;
    h << (i == 0 ? "Balances at " : "; ") << Escape(c.chain) << (c.family == Chain::kBitcoin ? " height " : " block ")
      << c.height << " (" << (time ? Escape(*time) : std::string("time not recorded")) << ")";
  }
  h << "</p></section>";
  return h.str();
}

std::string ProblemsHtml(const Report& r) {
  if (r.problems.empty()) return "";
  std::ostringstream h;
  h << "<section class=\"card\" id=\"problems\"><h2>What could not be checked</h2><ul>";
  for (const Problem& p : r.problems) h << "<li class=\"problem\">" << Escape(p.line) << "</li>";
  h << "</ul><p class=\"small muted\">Until these are checked, this attestation says nothing either way.</p></section>";
  return h.str();
}

std::string StatementHtml(const Report& r) {
  if (r.message.empty()) return "";
  return "<section class=\"card\"><h2>The exchange's statement</h2><blockquote id=\"message\">" + Escape(r.message) +
         "</blockquote><p class=\"small muted\">Every wallet address below signed this text. That shows the exchange "
         "could sign for each address when this attestation was made; it does not show who controls them today.</p>"
         "</section>";
}

std::string FindingsHtml(const Report& r) {
  std::ostringstream h;
  h << "<section class=\"card\" id=\"findings\"><h2>Findings</h2>";
  if (r.findings.empty()) {
    h << "<p>None: no check found anything to report.</p>";
  } else {
    // What breaks the attestation first, then what is shown for information.
    std::vector<const Finding*> ordered;
    for (const Finding& f : r.findings) ordered.push_back(&f);
    std::stable_partition(ordered.begin(), ordered.end(),
                          [](const Finding* f) { return f->severity == Severity::kError; });
    h << "<ul class=\"plain\">";
    for (const Finding* finding : ordered) {
      const Finding& f = *finding;
      h << "<li class=\"finding " << ToString(f.severity) << "\"><p class=\"what\"><span class=\"sev sev-"
        << ToString(f.severity) << "\">" << (f.severity == Severity::kError ? "problem" : "info") << "</span>"
        << Escape(ExplainFinding(f)) << "</p><p class=\"small muted\">" << Escape(ToString(f.check)) << " · <code>"
        << Escape(f.subject) << "</code></p><p class=\"small\">" << Escape(f.detail) << "</p></li>";
    }
    h << "</ul>";
  }
  h << "</section>";
  return h.str();
}

// "agreed by 2 sources"; a chain with one source had nothing to agree with: "taken from 1 source".
std::string AgreedBy(const ChainReport& c) {
  return c.sources.size() == 1 ? "taken from 1 source" : "agreed by " + Count(c.sources.size(), "source", "sources");
}

// How an EVM chain's state was read (docs/FORMAT.md "Proven Ethereum reads"): proven against the
// pinned block, or only agreed by its sources; every read that was only agreed is listed.
std::string ReadsHtml(const ChainReport& c) {
  if (!c.reads) return "";
  // A chain whose block could not be read proved nothing: "proven" is then only what was asked for.
  if (!c.block_hash)
    return "<p class=\"small reads\">Nothing read on this chain is proven: its block could not be read.</p>";
  if (*c.reads == "agreed") {
    return "<p class=\"small reads agreed\">Reads " + AgreedBy(c) +
           ", not proven: nothing on this chain is proven against the pinned block.</p>";
  }
  std::string h = "<p class=\"small reads proven\">Balances, code and storage proven against the pinned block.</p>";
  if (!c.agreed_reads.empty()) {
    std::string header = AgreedBy(c);
    header[0] = static_cast<char>(header[0] - 'a' + 'A');
    h += "<p class=\"small reads agreed\">" + header + ", not proven:</p><ul class=\"small agreed-reads\">";
    for (const std::string& read : c.agreed_reads) h += "<li>" + Escape(read) + "</li>";
    h += "</ul>";
  }
  return h;
}

std::string BlocksHtml(const Report& r) {
  std::ostringstream h;
  h << "<section class=\"card\" id=\"blocks\"><h2>Pinned blocks</h2><p class=\"small muted\">Every balance is read at "
       "these blocks.</p><ul class=\"plain\">";
  for (const ChainReport& c : r.chains) {
    h << "<li><p><strong>" << Escape(c.chain) << "</strong> " << (c.family == Chain::kBitcoin ? "height " : "block ")
      << c.height << " · "
      << (c.block_time && FormatUtcTime(*c.block_time) ? Escape(*FormatUtcTime(*c.block_time))
                                                       : std::string("time not recorded"))
      << " · " << Count(c.sources.size(), "source", "sources") << "</p><p class=\"small\">"
      << (c.block_hash ? "hash <code>" + Escape(*c.block_hash) + "</code>"
                       : std::string("hash not known: the sources could not be read or did not agree"))
      << "</p>" << ReadsHtml(c) << "</li>";
  }
  h << "</ul>";
  if (!r.firm_addresses.empty()) {
    h << "<details><summary>" << Count(r.firm_addresses.size(), "address", "addresses")
      << " of the exchange's own money (checked for overlap)</summary><ul class=\"plain\">";
    for (const AddressReport& a : r.firm_addresses) h << AddressHtml(a, {});
    h << "</ul></details>";
  }
  h << "</section>";
  return h.str();
}

}  // namespace

std::string CoveragePercent(u128 reserves, u128 liabilities) {
  // floor(1000 * reserves / liabilities) by long division, without overflow: the percentage to one
  // decimal, truncated (a shortfall never reads "100.0 %").
  const u128 whole = reserves / liabilities;
  u128 rest = reserves % liabilities;
  unsigned digits[3] = {0, 0, 0};
  for (unsigned& digit : digits) {
    u128 next = 0;  // rest * 10 mod liabilities, digit = rest * 10 / liabilities
    for (int i = 0; i < 10; ++i) {
      if (next >= liabilities - rest) {
        next -= liabilities - rest;
        ++digit;
      } else {
        next += rest;
      }
    }
    rest = next;
  }
  constexpr u128 kLargest = u128(1) << 120;
  if (whole >= kLargest / 100) return "more than 10^34 %";
  const u128 percent = whole * 100 + digits[0] * 10 + digits[1];
  return merkle::FormatAmount(percent, 0) + "." + std::to_string(digits[2]) + " %";
}

// docs/SECURITY.md "What a PASS means — and what it does not", in plain words.
// What only agreed reads leave open, chain by chain ("" when every read was proven or no chain
// has reads).
std::string AgreedReadsLimitHtml(const Report& r) {
  std::string chains;
  for (const ChainReport& c : r.chains) {
    if (!c.reads || (*c.reads == "proven" && c.agreed_reads.empty())) continue;
    const std::string what = *c.reads == "agreed" ? "every read was" : "the reads listed under Pinned blocks were";
    chains += std::string(chains.empty() ? "" : " ") + "On " + Escape(c.chain) + ", " + what + " " + AgreedBy(c) +
              ", not proven.";
  }
  if (chains.empty()) return "";
  return "<li><strong>Reads that were only agreed.</strong> " + chains +
         " There, a PASS rests on those answers being true: no proof backs them.</li>";
}

std::string PassLimitsHtml(const Report& r) {
  return "<section class=\"card\" id=\"limits\"><h2>What a PASS shows, and what it does not</h2>"
         "<p>A PASS shows that, at the pinned blocks, each client pool held at least what the exchange's list of "
         "client "
         "balances adds up to, in wallets that signed the statement above and that the exchange's own keys cannot "
         "move alone.</p><p>It does not show:</p><ul>"
         "<li><strong>That the list of client balances is complete.</strong> A client left out or a balance lowered "
         "still gives a consistent total. Only clients catch that, by checking their own proof above: the more who "
         "check, the less can hide.</li>"
         "<li><strong>The rest of the month.</strong> It is a snapshot at the pinned blocks; coins can move the next "
         "minute.</li>"
         "<li><strong>Who controls the wallets today.</strong> The signatures show control when the statement was "
         "signed, not later.</li>"
         "<li><strong>Off-chain promises.</strong> Who holds a key behind a single-key wallet (an MPC wallet looks the "
         "same), or a custodian's undertaking, cannot be seen on chain.</li>"
         "<li><strong>The exchange's own solvency</strong>, or debts outside the client pools.</li>" +
         AgreedReadsLimitHtml(r) + "</ul></section>";
}

std::string_view StandingClass(Standing standing) {
  switch (standing) {
    case Standing::kHolds:
      return "s-holds";
    case Standing::kDoesNotHold:
      return "s-does-not-hold";
    case Standing::kUnknown:
      return "s-unknown";
  }
  return "s-unknown";
}

std::string_view PublicStyleSheet() { return kStyleSheet; }

PublicHtml RenderPublicHtml(const Report& report) {
  const Report shown = PublicReport(report);
  PublicHtml html;
  html.banner = BannerHtml(shown);
  html.problems = ProblemsHtml(shown);
  html.statement = StatementHtml(shown);
  html.limits = PassLimitsHtml(shown);
  for (const PoolReport& p : shown.pools) html.pools += PoolHtml(p, shown.verdict);
  html.findings = FindingsHtml(shown);
  html.blocks = BlocksHtml(shown);
  return html;
}

std::string PublicPageHead(std::string_view title, std::string_view stylesheet_href, bool inline_css) {
  std::string head =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
      "<meta name=\"referrer\" content=\"no-referrer\"><title>" +
      Escape(title) + "</title>";
  if (inline_css)
    head += "<style>" + std::string(kStyleSheet) + "</style>";
  else
    head += "<link rel=\"stylesheet\" href=\"" + Escape(stylesheet_href) + "\">";
  return head + "</head><body><main>\n";
}

}  // namespace segverify::report
