// The documents of the status site that are rendered per report: the page (index.html), the SVG
// badge and the embed script with the current status inline.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "verifier/report/report.h"
#include "verifier/server/history_store.h"
#include "verifier/server/root_runs.h"

namespace segverify::server {

// index.html: the public view of `report` (report/public_html.h), the in-browser proof check,
// the history of attestations published here and, `with_attestation` (the site has
// attestation.json), how to re-check the attestation with one's own nodes: the command, whose site
// URL app.js fills in from the page's own address. `report` null: no report can be shown, `error`
// says why (public words). Every URL is relative, so the page works from any static server.
// `archived_ids`: attestations whose files publish keeps under attestations/<id>/ (linked from
// the history).
std::string RenderStatusPage(const report::Report* report, std::string_view error,
                             const report::PublishedRoots& history, bool with_attestation = false,
                             const std::vector<std::string>& archived_ids = {});

// A shields-style badge: "segregation | <verdict> <id>"; green PASS, red FAIL, amber ERROR.
std::string RenderBadgeSvg(std::string_view verdict, std::string_view id);

// web/embed.js with the status inline ({"verdict","id","date"}), so that it works cross-origin
// from a static server that sends no CORS headers. `date` empty = unknown.
std::string RenderEmbedScript(std::string_view embed_template, std::string_view verdict, std::string_view id,
                              std::string_view date);

}  // namespace segverify::server
