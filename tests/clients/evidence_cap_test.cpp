// Evidence is capped per source (clients/evidence.h): a node that pads every answer to just under
// the body cap cannot fill the disk through the recording (16 padded Esplora pages once wrote
// 961 MB in 12 s). Past the cap the append fails, and the log remembers it (attest fails closed).
#include <gtest/gtest.h>

#include "clients/evidence.h"
#include "tests/support/test_support.h"

namespace segverify::clients {
namespace {

TEST(EvidenceCap, OneSourcesAnswersAreCappedAndTheFailureIsKept) {
  testing::TempDir dir;
  auto log = EvidenceLog::Open(dir.File("evidence"));
  ASSERT_TRUE(log.ok()) << log.error().message;
  const HttpResponse padded{200, std::string(32u << 20, ' ')};
  int appended = 0;
  Status last = Status::Ok();
  for (int i = 0; i < 16 && last.ok(); ++i) {
    last = (*log)->Append("esplora source 1 (http://127.0.0.1:3000)", "GET", "/address/x/txs/chain", "", padded);
    if (last.ok()) ++appended;
  }
  EXPECT_EQ(appended, 7);  // 7 x 32 MiB (and their JSON framing) fit under 256 MiB, the 8th does not
  ASSERT_FALSE(last.ok());
  EXPECT_NE(last.message().find("evidence is capped per source"), std::string::npos) << last.message();
  EXPECT_FALSE((*log)->FirstFailure().ok());
  // Another source has its own allowance.
  EXPECT_TRUE((*log)->Append("esplora source 2 (http://127.0.0.1:3001)", "GET", "/", "", HttpResponse{200, "[]"}).ok());
}

}  // namespace
}  // namespace segverify::clients
