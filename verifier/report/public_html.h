// The HTML sections every public page shows (report.html and the status site's index.html), built
// from the public view of a report (public_view.h), and the one stylesheet they share.
//
// Phone first: no tables, no fixed widths; hashes and addresses wrap; the coverage bars are SVGs
// with a viewBox that scale to the width (attributes only, no inline styles, so the status page's
// Content-Security-Policy can forbid inline styles).
#pragma once

#include <string>
#include <string_view>

#include "verifier/report/public_view.h"
#include "verifier/report/report.h"

namespace segverify::report {

// The stylesheet's class for a standing: "s-holds", "s-does-not-hold", "s-unknown".
std::string_view StandingClass(Standing standing);

// The stylesheet (report.html inlines it; the status site serves it as style.css).
std::string_view PublicStyleSheet();

struct PublicHtml {
  std::string banner;     // verdict (id="verdict": PASS/FAIL/ERROR), its words and meaning, id, date
  std::string problems;   // what could not be checked (empty unless there is something)
  std::string statement;  // the exchange's message
  std::string limits;     // what a PASS shows and what it does not (docs/SECURITY.md)
  std::string pools;      // per pool: coverage per asset, addresses with balances, explorer links, vaults
  std::string findings;   // findings explained
  std::string blocks;     // pinned blocks, block times, number of sources, firm addresses
};

// Renders the sections of PublicReport(report) (safe to call with the operator's report).
PublicHtml RenderPublicHtml(const Report& report);

// The card "What a PASS shows, and what it does not" (docs/SECURITY.md's list in plain words), on
// every page: index.html (also when no report can be shown: an empty Report) and report.html. With
// `shown`'s EVM chains whose reads were only agreed, not proven, it says what that leaves open.
std::string PassLimitsHtml(const Report& shown);

// reserves / liabilities as a percentage with one decimal, truncated, never rounded up: a
// shortfall of one base unit reads "99.9 %", never "100.0 %". liabilities must not be 0.
std::string CoveragePercent(u128 reserves, u128 liabilities);

// "<!DOCTYPE html>…<body><main>" with the page title, and a stylesheet: inline (`inline_css`) or a
// link to `stylesheet_href`.
std::string PublicPageHead(std::string_view title, std::string_view stylesheet_href, bool inline_css);

}  // namespace segverify::report
