#include "verifier/report/report_html.h"

#include "common/markup.h"
#include "verifier/report/public_html.h"
#include "verifier/report/public_view.h"

namespace segverify::report {

std::string ReportToHtml(const Report& report) {
  const PublicHtml html = RenderPublicHtml(report);
  std::string page =
      PublicPageHead("Attestation " + report.id + ": segregation " + std::string(VerdictWords(report.verdict)), "",
                     /*inline_css=*/true);
  page += html.banner + html.problems + html.statement + html.limits + html.pools + html.findings + html.blocks;
  page +=
      "<section class=\"card\" id=\"own-check\"><h2>Check that your balance is counted</h2><ol>"
      "<li>Get your inclusion proof from the exchange (a <code>segverify-proof/1</code> JSON file).</li>"
      "<li>Open the exchange's status page and paste it there, or run <code>segverify proof verify proof.json "
      "--root-hash HASH</code> with your pool's root hash above.</li>"
      "<li>It must say <code>valid</code> and show your balances; anything else means your balance is not counted "
      "in this attestation.</li></ol></section>";
  page += "<footer>Inputs: configuration sha256 <code>" + EscapeMarkup(report.config_sha256) + "</code>";
  for (const auto& [pool, hash] : report.liabilities_sha256) {
    page += "; liabilities of pool " + EscapeMarkup(pool) + " sha256 <code>" + EscapeMarkup(hash) + "</code>";
  }
  page += ". Written by segverify " + EscapeMarkup(report.tool_version) + ".</footer></main></body></html>\n";
  return page;
}

}  // namespace segverify::report
