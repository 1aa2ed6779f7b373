#include "verifier/server/status_page.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "common/json.h"
#include "common/markup.h"
#include "verifier/report/public_html.h"
#include "verifier/report/public_view.h"

namespace segverify::server {
namespace {

constexpr std::string_view kEmbedPlaceholder = "/*SEGVERIFY_STATUS*/null";

std::string_view BadgeColor(std::string_view verdict) {
  if (verdict == "PASS") return "#1a7f37";
  if (verdict == "FAIL") return "#cf222e";
  return "#9a6700";
}

std::string ProofCheckHtml() {
  return "<section class=\"card\" id=\"check\"><h2>Check that your balance is counted</h2>"
         "<p>Your exchange gives you an inclusion proof: a small file that starts with "
         "<code>{\"format\":\"segverify-proof/1\"</code>. Paste it below or open the file. It is checked in this "
         "browser; nothing is sent anywhere.</p>"
         "<label for=\"proof\" class=\"small muted\">Your proof</label>"
         "<textarea id=\"proof\" rows=\"6\" spellcheck=\"false\" autocomplete=\"off\" autocapitalize=\"off\" "
         "placeholder=\"{&quot;format&quot;:&quot;segverify-proof/1&quot;, …}\"></textarea>"
         "<div class=\"actions\"><button id=\"verify\" type=\"button\">Check my proof</button>"
         "<label class=\"file-button\">Open a proof file<input id=\"proof-file\" type=\"file\" "
         "accept=\".json,application/json,text/plain\"></label></div>"
         "<div id=\"verify-result\" aria-live=\"polite\"></div></section>";
}

// One line per attestation (records grouped by id, in history order).
std::string HistoryHtml(const report::PublishedRoots& roots, std::string_view current_id,
                        const std::vector<std::string>& archived_ids) {
  const std::vector<report::ListedRoot>& history = roots.current;
  std::ostringstream h;
  h << "<section class=\"card\" id=\"history\"><h2>Attestations published here</h2>";
  if (history.empty()) {
    h << "<p>None recorded yet.</p></section>";
    return h.str();
  }
  std::vector<std::string> order;
  std::map<std::string, std::vector<const report::ListedRoot*>> by_id;
  for (const report::ListedRoot& r : history) {
    if (!by_id.contains(r.report_id)) order.push_back(r.report_id);
    by_id[r.report_id].push_back(&r);
  }
  h << "<ul class=\"plain history\">";
  for (const std::string& id : order) {
    const report::ListedRoot& first = *by_id[id].front();
    const report::Verdict verdict = first.verdict;
    const auto when = first.attested_at ? report::FormatUtcTime(*first.attested_at) : std::nullopt;
    h << "<li><span class=\"when\">" << (when ? EscapeMarkup(*when) : std::string("date not recorded"))
      << "</span><strong>" << EscapeMarkup(id) << "</strong><span class=\"standing "
      << report::StandingClass(report::VerdictStanding(verdict)) << "\">" << report::VerdictWords(verdict)
      << "</span><span class=\"small muted\">";
    for (std::size_t i = 0; i < by_id[id].size(); ++i) {
      h << (i == 0 ? "pool " : ", pool ") << EscapeMarkup(by_id[id][i]->pool) << " root <code>"
        << by_id[id][i]->hash.substr(0, 16) << "…</code>";
    }
    h << (id == current_id ? " · shown on this page" : "");
    std::size_t replaced = 0;
    std::string replaced_at;
    for (const report::ListedRoot& r : roots.superseded) {
      if (r.report_id != id) continue;
      ++replaced;
      if (replaced_at.empty() && r.superseded_at) replaced_at = report::FormatUtcTime(*r.superseded_at).value_or("");
    }
    if (replaced > 0) {
      h << " · an earlier run of " << EscapeMarkup(id) << " was replaced" << (replaced_at.empty() ? "" : " on ")
        << EscapeMarkup(replaced_at) << "; its proofs are no longer valid";
    }
    h << "</span>";
    // (The shown attestation's files are the page's own: report.html, attestation.json.)
    if (id != current_id && std::find(archived_ids.begin(), archived_ids.end(), id) != archived_ids.end()) {
      h << "<span class=\"small\"><a href=\"attestations/" << EscapeMarkup(id) << "/report.html\">report</a> · <a "
        << "href=\"attestations/" << EscapeMarkup(id) << "/report.json\">report.json</a></span>";
    }
    h << "</li>";
  }
  h << "</ul><p class=\"small muted\">The full roots are in <a href=\"roots.json\">roots.json</a>; a proof is valid "
       "here when its root is one of the current ones (a root of a run that was replaced by a new run of the same "
       "attestation is listed apart, and its proofs are not valid).</p></section>";
  return h.str();
}

std::string FilesHtml(bool have_report, bool have_attestation) {
  std::string h = "<section class=\"card\" id=\"files\"><h2>The files behind this page</h2><ul>";
  if (have_report) {
    h += "<li><a href=\"report.html\">report.html</a>: the full attestation report</li>"
         "<li><a href=\"report.json\">report.json</a>: the same, for programs</li>";
  }
  if (have_attestation) {
    h += "<li><a href=\"attestation.json\">attestation.json</a>: the attestation as it was run (addresses, ownership "
         "signatures, pinned blocks, published roots), to re-check it yourself</li>";
  }
  h += "<li><a href=\"status.json\">status.json</a> and <a href=\"roots.json\">roots.json</a>: the current status and "
       "every published root</li><li><a href=\"badge.svg\">badge.svg</a> and <a href=\"embed.js\">embed.js</a>: to "
       "show this status on another site</li></ul></section>";
  return h;
}

// How anyone re-checks this attestation with nodes of their choosing (docs/DESIGN.md §Public
// re-check).
// The site's own URL is only known in the browser: app.js writes it into #recheck-site. The
// command wraps on a phone (pre-wrap) and keeps one argument per line for copying.
std::string RecheckHtml(const report::Report& shown) {
  std::string command = "segverify recheck <span id=\"recheck-site\">THIS-SITE-URL</span>";
  for (const std::string& argument : report::RecheckSourceArguments(shown))
    command += " \\\n  " + EscapeMarkup(argument);
  return "<section class=\"card\" id=\"recheck\"><h2>Re-check this attestation yourself</h2><p>You do not have to "
         "trust this page. Everything the check needs is public: the addresses, their ownership signatures, the pinned "
         "blocks and the published roots are in <a href=\"attestation.json\">attestation.json</a>. With segverify "
         "installed, this command reads the balances from nodes you choose, verifies every signature and rule again, "
         "and compares its verdict with the one published here:</p><pre class=\"command\" id=\"recheck-command\">" +
         command +
         "</pre><p class=\"small muted\">Replace each YOUR-…-ARCHIVE-NODE with a node you trust: your own, or a "
         "provider's (reading a contract's state at a past block needs an archive node); any other source may be "
         "swapped for one you prefer. It ends with 0 when the attestation "
         "holds as published, 1 when it finds a shortfall, a broken rule or anything that differs from what is "
         "published here (each named), 2 when it could not check.</p></section>";
}

std::string ScriptsHtml() {
  return "<script src=\"sha256.js\"></script><script src=\"strict_json.js\"></script>"
         "<script src=\"proof_check.js\"></script><script src=\"app.js\"></script>";
}

std::string NoReportBanner(std::string_view error) {
  return "<section class=\"banner v-error\"><p class=\"kicker\">No attestation to show</p><h1>Segregation of client "
         "assets <span id=\"verdict-words\">" +
         std::string(report::VerdictWords(report::Verdict::kError)) + "</span></h1><p>" +
         EscapeMarkup(report::VerdictSentence(report::Verdict::kError)) +
         "</p><p class=\"banner-verdict\">Verdict: <strong id=\"verdict\">ERROR</strong></p></section>"
         "<section class=\"card\" id=\"problems\"><h2>What could not be checked</h2><ul><li class=\"problem\">" +
         EscapeMarkup(error) + "</li></ul></section>";
}

}  // namespace

std::string RenderStatusPage(const report::Report* shown, std::string_view error, const report::PublishedRoots& history,
                             bool with_attestation, const std::vector<std::string>& archived_ids) {
  const report::Verdict verdict = shown != nullptr ? shown->verdict : report::Verdict::kError;
  const std::string title = "Segregation of client assets: " + std::string(report::VerdictWords(verdict)) +
                            (shown != nullptr ? " (attestation " + shown->id + ")" : std::string());
  std::string page = report::PublicPageHead(title, "style.css", /*inline_css=*/false);
  if (shown == nullptr) {
    page += NoReportBanner(error) + ProofCheckHtml() + HistoryHtml(history, "", archived_ids) +
            report::PassLimitsHtml(report::Report{}) + FilesHtml(false, false);
  } else {
    const report::PublicHtml html = report::RenderPublicHtml(*shown);
    page += html.banner + html.problems + ProofCheckHtml() + html.statement + html.pools + html.findings + html.limits +
            HistoryHtml(history, shown->id, archived_ids) + html.blocks +
            (with_attestation ? RecheckHtml(*shown) : std::string()) + FilesHtml(true, with_attestation);
  }
  page +=
      "<footer>Checked with segverify: the balances, signatures and segregation rules above are verified from "
      "public blockchain data at the pinned blocks.</footer></main>" +
      ScriptsHtml() + "</body></html>\n";
  return page;
}

std::string RenderBadgeSvg(std::string_view verdict, std::string_view id) {
  const std::string label = "segregation";
  const std::string value = EscapeMarkup(std::string(verdict) + (id.empty() ? "" : " " + std::string(id)));
  // Approximate text widths (7 px per character at 11 px Verdana); exact metrics do not matter.
  const std::size_t label_width = 10 + 7 * label.size();
  const std::size_t value_width = 10 + 7 * (verdict.size() + 1 + id.size());
  const std::size_t width = label_width + value_width;
  const std::string lw = std::to_string(label_width), vw = std::to_string(value_width), w = std::to_string(width);
  std::string svg;
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"20\" role=\"img\" aria-label=\"" +
         label + ": " + value + "\">";
  svg += "<title>" + label + ": " + value + "</title>";
  svg += "<rect width=\"" + lw + "\" height=\"20\" fill=\"#555\"/>";
  svg +=
      "<rect x=\"" + lw + "\" width=\"" + vw + "\" height=\"20\" fill=\"" + std::string(BadgeColor(verdict)) + "\"/>";
  svg += "<g fill=\"#fff\" font-family=\"Verdana,DejaVu Sans,sans-serif\" font-size=\"11\">";
  svg += "<text x=\"5\" y=\"14\">" + label + "</text>";
  svg += "<text x=\"" + std::to_string(label_width + 5) + "\" y=\"14\">" + value + "</text>";
  svg += "</g></svg>";
  return svg;
}

std::string RenderEmbedScript(std::string_view embed_template, std::string_view verdict, std::string_view id,
                              std::string_view date) {
  // ASCII output (\u escapes): embed.js must read the same whatever charset it is served with.
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>, rapidjson::ASCII<>> w(buffer);
  w.StartObject();
  WriteJsonKey(w, "verdict");
  WriteJsonString(w, verdict);
  WriteJsonKey(w, "id");
  WriteJsonString(w, id);
  WriteJsonKey(w, "date");
  if (date.empty())
    w.Null();
  else
    WriteJsonString(w, date);
  w.EndObject();
  std::string script(embed_template);
  const std::size_t at = script.find(kEmbedPlaceholder);
  if (at != std::string::npos) script.replace(at, kEmbedPlaceholder.size(), buffer.GetString(), buffer.GetSize());
  return script;
}

}  // namespace segverify::server
