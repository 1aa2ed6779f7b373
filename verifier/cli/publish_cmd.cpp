// segverify publish --report DIR --out SITE [--state FILE]: writes the status site as static files
// (see verifier/server/publish.h). Exit 0 when SITE was written (whatever the published verdict),
// 2 when it could not be (SITE is then left as it was) or when the report line could not be written
// to stdout (SITE then stays written whole: docs/DESIGN.md §Outputs are all or nothing).
#include <iostream>

#include "common/output_dir.h"
#include "common/printable.h"
#include "verifier/attest/public_attestation.h"
#include "verifier/cli/commands.h"
#include "verifier/cli/exit_codes.h"
#include "verifier/server/publish.h"

namespace segverify::cli {

void AddPublishCommands(CLI::App& root, int& exit_code) {
  auto options = std::make_shared<server::PublishOptions>();
  options->read_attestation = attest::PublicAttestationId;
  CLI::App* publish = root.add_subcommand(
      "publish", "Write the status site (page, status, roots, badge, embed, public report) as static files");
  publish->add_option("--report", options->report_dir, "Report directory: its report.json is published")->required();
  publish
      ->add_option("--out", options->out_dir,
                   "Site directory: new, empty, or an earlier published site (replaced whole, keeping its history)")
      ->required();
  publish->add_option("--state", options->history_path, "Also list the attestations recorded in serve's history file");
  publish->callback([options, &exit_code] {
    InstallInterruptCleanup();  // SIGINT/SIGTERM leave SITE as it was and no temporary behind
    auto published = server::Publish(*options);
    if (!published) {
      exit_code = ReportError(published.error().message);
      return;
    }
    std::cout << "segverify: published attestation " << Printable(published->id) << " ("
              << Printable(published->verdict) << ") to " << Printable(options->out_dir) << ": " << published->files
              << " files, " << published->attestations << " attestation(s) in its history";
    if (published->replaced_now > 0) {
      std::cout << "; the earlier run of " << Printable(published->id) << " was replaced (" << published->replaced_now
                << " root(s) now listed as superseded: their proofs are no longer valid)";
    }
    std::cout << std::endl;
    exit_code = std::cout ? kExitHolds : kExitCannotCheck;
  });
}

}  // namespace segverify::cli
