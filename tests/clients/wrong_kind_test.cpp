// A node URL that answers something else than the API (a website, a proxy's notice) is named by
// what it answered, as the HTTP layer received it: "not a JSON-RPC API at this URL (HTTP 200,
// text/plain)" (docs/OPERATIONS.md §4). The media type comes from the answer's Content-Type header;
// only an answer without one has it inferred from its body. The pages served here are chosen so
// that the body alone would not tell: an HTML fragment without <!doctype> or <html>, plain text.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "clients/chain_source.h"
#include "clients/node_text.h"
#include "clients/quorum.h"
#include "tests/support/process.h"
#include "tests/support/test_support.h"

namespace segverify::clients {
namespace {

// tests/support/servers/static_site_server.py --fixed: every request gets the same answer.
class FixedAnswerServer {
 public:
  FixedAnswerServer(const std::string& status, const std::string& content_type, const std::string& body)
      : process_("python3",
                 {testing::SourcePath("tests/support/servers/static_site_server.py"), "--root", "/nonexistent",
                  "--fixed", status, content_type, body},
                 true),
        url_("http://127.0.0.1:" + process_.FirstLine(10000)) {}
  const std::string& url() const { return url_; }

 private:
  testing::ChildProcess process_;
  std::string url_;
};

BalanceQuery Query(Chain chain) {
  BalanceQuery q;
  q.chain = chain;
  q.height = 16;
  if (chain == Chain::kEthereum) {
    q.assets = {{"ETH", std::nullopt}};
    q.addresses = {{"0x0000000000000000000000000000000000001001", ""}};
  } else {
    q.assets = {{"BTC", std::nullopt}};
    q.addresses = {{"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"}};
  }
  return q;
}

SourceOptions Fast() {
  SourceOptions options;
  options.expected_chain_id = 1;
  return options;
}

struct Case {
  SourceType type;
  std::string status, content_type, body;
  std::string expected;
};

TEST(WrongKind, TheAnswersContentTypeNamesWhatTheUrlServes) {
  const std::vector<Case> cases = {
      {SourceType::kEthereum, "200", "text/html; charset=utf-8", "<h1>Welcome to Example Exchange</h1>",
       "not a JSON-RPC API at this URL (HTTP 200, text/html)"},
      {SourceType::kEthereum, "200", "text/plain", "This endpoint has moved.",
       "not a JSON-RPC API at this URL (HTTP 200, text/plain)"},
      {SourceType::kBitcoinCore, "200", "Text/Plain; charset=us-ascii", "maintenance until 04:00 UTC",
       "not a JSON-RPC API at this URL (HTTP 200, text/plain)"},
      {SourceType::kEsplora, "404", "text/html", "<h1>Not Found</h1>",
       "not an Esplora API at this URL (HTTP 404, text/html)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(ToString(c.type)) + " " + c.status + " " + c.content_type);
    FixedAnswerServer server(c.status, c.content_type, c.body);
    SourceConfig source(c.type, server.url(), c.type == SourceType::kBitcoinCore ? "user:pass" : "");
    auto result = ReadChainBalances(Query(ChainOf(c.type)), {source}, LiveTransports(), Fast());
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().message.find(c.expected), std::string::npos) << result.error().message;
    EXPECT_EQ(result.error().kind, ProblemKind::kWrongApi) << result.error().message;
    EXPECT_EQ(result.error().message.find("does not exist yet"), std::string::npos) << result.error().message;
  }
}

TEST(WrongKind, WithoutAHeaderTheBodyTellsAnHtmlPage) {
  EXPECT_EQ(MediaType(HttpResponse{404, "<!DOCTYPE html><html><body>Not found</body></html>", ""}), "text/html");
  EXPECT_EQ(MediaType(HttpResponse{404, "not found", ""}), "");
  EXPECT_EQ(MediaType(HttpResponse{200, "{}", "application/json; charset=utf-8"}), "application/json");
  // A JSON body is judged as JSON whatever a proxy labels it; a 5xx notice is the node refusing.
  EXPECT_FALSE(IsWrongKind(HttpResponse{200, "{\"id\":0,\"result\":\"0x1\"}", "text/plain"}, true));
  EXPECT_FALSE(IsWrongKind(HttpResponse{503, "busy", "text/plain"}, false));
  EXPECT_TRUE(IsWrongKind(HttpResponse{200, "busy", "text/plain"}, false));
}

}  // namespace
}  // namespace segverify::clients
