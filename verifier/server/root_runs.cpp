#include "verifier/server/root_runs.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "verifier/report/public_view.h"
#include "verifier/server/history_store.h"

namespace segverify::server {
namespace {

bool SameRoot(const report::ListedRoot& a, const report::ListedRoot& b) {
  return a.report_id == b.report_id && a.pool == b.pool && a.hash == b.hash;
}

void MarkSuperseded(report::ListedRoot& record, std::int64_t when_unix, report::PublishedRoots& out) {
  record.superseded_at = report::UnixToUtcIso(when_unix);
  out.superseded.push_back(std::move(record));
}

}  // namespace

report::PublishedRoots SeparateRuns(std::vector<report::ListedRoot> records, const report::Report* shown,
                                    std::int64_t now_unix) {
  report::PublishedRoots out;
  std::vector<report::ListedRoot> open;  // not yet superseded
  for (report::ListedRoot& r : records) {
    if (r.superseded_at) {
      const bool duplicate = std::any_of(out.superseded.begin(), out.superseded.end(),
                                         [&](const report::ListedRoot& s) { return SameRoot(s, r); });
      if (!duplicate) out.superseded.push_back(std::move(r));
    } else {
      open.push_back(std::move(r));
    }
  }

  std::vector<report::ListedRoot> shown_roots =
      shown != nullptr ? report::RootsOf(*shown) : std::vector<report::ListedRoot>();
  std::int64_t shown_seen = 0;
  for (const report::ListedRoot& r : open) {
    for (const report::ListedRoot& s : shown_roots) {
      if (SameRoot(r, s)) shown_seen = std::max(shown_seen, r.first_seen);
    }
  }
  // Per other id: the newest run's first_seen (0 when none was recorded).
  std::map<std::string, std::int64_t> newest_run;
  for (const report::ListedRoot& r : open) newest_run[r.report_id] = std::max(newest_run[r.report_id], r.first_seen);
  // Per other id: when its newest run was first seen (the smallest first_seen among its records).
  std::map<std::string, std::int64_t> replaced_at;
  for (const report::ListedRoot& r : open) {
    if (r.first_seen != newest_run[r.report_id]) continue;
    auto [it, inserted] = replaced_at.emplace(r.report_id, r.first_seen);
    if (!inserted) it->second = std::min(it->second, r.first_seen);
  }

  for (report::ListedRoot& r : open) {
    if (shown != nullptr && r.report_id == shown->id) {
      const bool of_shown = std::any_of(shown_roots.begin(), shown_roots.end(),
                                        [&](const report::ListedRoot& s) { return SameRoot(r, s); });
      if (of_shown) continue;  // added from shown_roots below, with the shown report's verdict
      MarkSuperseded(r, shown_seen != 0 ? shown_seen : now_unix, out);
    } else if (r.first_seen != newest_run[r.report_id]) {
      MarkSuperseded(r, replaced_at[r.report_id], out);
    } else {
      out.current.push_back(std::move(r));
    }
  }
  for (report::ListedRoot& s : shown_roots) {
    for (const report::ListedRoot& r : records) {
      if (SameRoot(r, s) && !r.superseded_at) s.first_seen = r.first_seen;
    }
    out.current.push_back(std::move(s));
  }
  // A root both current and listed as superseded (a run published again): current wins.
  std::erase_if(out.superseded, [&](const report::ListedRoot& s) {
    return std::any_of(out.current.begin(), out.current.end(),
                       [&](const report::ListedRoot& c) { return SameRoot(c, s); });
  });
  OrderNewestFirst(out.current);
  std::stable_sort(
      out.superseded.begin(), out.superseded.end(), [](const report::ListedRoot& a, const report::ListedRoot& b) {
        return report::ParseUtcTime(*a.superseded_at).value_or(0) > report::ParseUtcTime(*b.superseded_at).value_or(0);
      });
  return out;
}

const report::ListedRoot* FindSuperseded(const report::PublishedRoots& roots, std::string_view hash) {
  for (const report::ListedRoot& r : roots.superseded) {
    if (r.hash == hash) return &r;
  }
  return nullptr;
}

std::string SupersededSentence(const report::ListedRoot& record) {
  const std::string when = record.superseded_at ? report::FormatUtcTime(*record.superseded_at).value_or("a later date")
                                                : std::string("a later date");
  return "this proof belongs to a run of " + record.report_id + " that was replaced on " + when +
         "; ask for your proof of the current run";
}

}  // namespace segverify::server
