// clients/source_url.h and clients/node_text.h: what may be shown of a node URL (scheme, host,
// port), how a source is named, and how a node's text is shown. Expected values are written from
// RFC 3986 (URL syntax) and docs/DESIGN.md §Node transport, not from the code under test.
#include "clients/source_url.h"

#include <gtest/gtest.h>

#include <string>

#include "clients/json_rpc.h"
#include "clients/node_text.h"

namespace segverify::clients {
namespace {

TEST(SourceUrl, SecretsAreSeparatedFromTheOrigin) {
  auto url = ParseSourceUrl("http://alice:s3cret@127.0.0.1:8332/wallet/");
  ASSERT_TRUE(url.ok()) << url.error().message;
  EXPECT_EQ(url->origin, "http://127.0.0.1:8332");
  EXPECT_EQ(url->user, "alice");
  EXPECT_EQ(url->password, "s3cret");
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 8332);
  EXPECT_EQ(url->path_and_query, "/wallet");
}

TEST(SourceUrl, PasswordHoldingASlashStaysAPassword) {
  // docs/DESIGN.md §Node transport's example: a '/' in the password must not turn the rest into a
  // host and a path.
  auto url = ParseSourceUrl("http://user:20/24S3cret@node.example:8332");
  ASSERT_TRUE(url.ok()) << url.error().message;
  EXPECT_EQ(url->user, "user");
  EXPECT_EQ(url->password, "20/24S3cret");
  EXPECT_EQ(url->origin, "http://node.example:8332");
  EXPECT_EQ(url->path_and_query, "");
  // And with '?', '#' and '@' in it, plus a path after the host.
  auto odd = ParseSourceUrl("https://u:a/b?c#d@e@rpc.example/v1");
  ASSERT_TRUE(odd.ok()) << odd.error().message;
  EXPECT_EQ(odd->password, "a/b?c#d@e");
  EXPECT_EQ(odd->origin, "https://rpc.example:443");
  EXPECT_EQ(odd->path_and_query, "/v1");
}

TEST(SourceUrl, ProviderKeysInPathAndQueryAreNotPartOfTheOrigin) {
  auto infura = ParseSourceUrl("https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef");
  ASSERT_TRUE(infura.ok());
  EXPECT_EQ(infura->origin, "https://mainnet.infura.io:443");
  EXPECT_EQ(infura->path_and_query, "/v3/0123456789abcdef0123456789abcdef");
  auto query = ParseSourceUrl("HTTPS://Eth.Example.com/rpc/?apikey=K3Y#frag");
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->origin, "https://eth.example.com:443");
  EXPECT_EQ(query->path_and_query, "/rpc?apikey=K3Y");  // the fragment is never sent
  // A query holding an '@' is not user-info: the user name part would hold a '/'.
  auto mail = ParseSourceUrl("http://h.example/p?mail=a@b.example");
  ASSERT_TRUE(mail.ok());
  EXPECT_EQ(mail->origin, "http://h.example:80");
  EXPECT_FALSE(mail->has_userinfo);
  auto v6 = ParseSourceUrl("http://[::1]:8545");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->origin, "http://[::1]:8545");
}

TEST(SourceUrl, PercentEncodedUserInfoIsDecoded) {
  auto url = ParseSourceUrl("http://us%65r:p%40ss%2Fword@127.0.0.1:1");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->user, "user");
  EXPECT_EQ(url->password, "p@ss/word");
}

TEST(SourceUrl, MalformedUrlsAreRefusedWithoutEchoingThem) {
  for (const char* bad : {"ftp://x", "http://alice:s3cret@host:99999", "http://", "http://h st:1", "127.0.0.1:8545",
                          "http://alice:s3cret@:80", "http://s3cret:", "http://[s3cret", "file:///s3cret"}) {
    auto r = ParseSourceUrl(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().message.find("s3cret"), std::string::npos) << r.error().message;
    EXPECT_EQ(RedactSourceUrl(bad), "(malformed URL)");
  }
}

TEST(SourceUrl, SourcesAreShownByLabelAndOrigin) {
  const std::string url = "https://user:20/24S3cret@mainnet.infura.io/v3/KEY123?x=QQ";
  EXPECT_EQ(RedactSourceUrl(url), "https://mainnet.infura.io:443");
  EXPECT_EQ(SourceDisplay("ethereum source 2", url), "ethereum source 2 (https://mainnet.infura.io:443)");
  EXPECT_EQ(SourceDisplay("", "http://127.0.0.1:8545"), "http://127.0.0.1:8545");
}

TEST(SourceUrl, ScrubRemovesEverySecretFromThirdPartyText) {
  auto url = ParseSourceUrl("https://bob:pw0rd@rpc.example/v3/KEY123?apikey=QQQ9");
  ASSERT_TRUE(url.ok());
  const std::string text = ScrubSecrets("GET https://bob:pw0rd@rpc.example/v3/KEY123?apikey=QQQ9 failed for bob", *url);
  for (const char* secret : {"pw0rd", "KEY123", "QQQ9", "bob"}) EXPECT_EQ(text.find(secret), std::string::npos) << text;
  EXPECT_NE(text.find("rpc.example"), std::string::npos) << text;
}

TEST(NodeText, ControlCharactersAreEscaped) {
  EXPECT_EQ(ShowNodeText("line1\nline2\r\t\x1b[31mred\x7f"), "line1\\nline2\\r\\t\\x1b[31mred\\x7f");
  EXPECT_EQ(ShowNodeText("back\\slash"), "back\\slash");  // kept: escaping twice changes nothing
  EXPECT_EQ(ShowNodeText(std::string("nul\0byte", 8)), "nul\\x00byte");
  EXPECT_EQ(ShowNodeText("\xc2\x9b"
                         "31m"),
            "\\u009b31m");  // C1 CSI, as UTF-8
  EXPECT_EQ(ShowNodeText("bad \xff\xfe utf8"), "bad \\xff\\xfe utf8");
  EXPECT_EQ(ShowNodeText("caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac");  // valid UTF-8 stays
}

TEST(NodeText, CutAfter200Characters) {
  EXPECT_EQ(ShowNodeText(std::string(200, 'a')), std::string(200, 'a'));
  EXPECT_EQ(ShowNodeText(std::string(203, 'a')), std::string(203, 'a'));  // "..." would save nothing
  EXPECT_EQ(ShowNodeText(std::string(204, 'a')), std::string(200, 'a') + "...");
  // Characters, not bytes: 250 two-byte characters are cut after 200 of them.
  std::string accents;
  for (int i = 0; i < 250; ++i) accents += "\xc3\xa9";
  EXPECT_EQ(ShowNodeText(accents), accents.substr(0, 400) + "...");
  // Escapes count as shown: a newline is two characters, "\\n".
  EXPECT_EQ(ShowNodeText(std::string(5000, '\n')).size(), 200u + 3);
}

// A node whose error message tries to write to the terminal: the Error shows it escaped and cut.
class ErrorNode final : public Transport {
 public:
  const std::string& source() const override { return source_; }
  Result<HttpResponse> Get(const std::string&) override { return Error{"no GET"}; }
  Result<HttpResponse> Post(const std::string&, const std::string&) override {
    return HttpResponse{200, R"({"jsonrpc":"2.0","id":0,"error":{"code":-1,"message":"boom\n\u001b[2J)" +
                                 std::string(300, 'x') + R"("}})"};
  }

 private:
  std::string source_ = "test node";
};

TEST(NodeText, RpcErrorsAreShownSafely) {
  JsonRpcClient rpc(std::make_unique<ErrorNode>());
  auto reply = rpc.Call({"getblockcount", "[]"});
  ASSERT_TRUE(reply.ok());
  ASSERT_TRUE(reply->is_error);
  const std::string shown = reply->ShownError();
  EXPECT_EQ(shown.find('\n'), std::string::npos);
  EXPECT_EQ(shown.find('\x1b'), std::string::npos);
  // 200 characters shown: "boom", "\\n", "\\x1b", "[2J", then 187 of the x's.
  EXPECT_EQ(shown, "boom\\n\\x1b[2J" + std::string(187, 'x') + "...");
}

}  // namespace
}  // namespace segverify::clients
