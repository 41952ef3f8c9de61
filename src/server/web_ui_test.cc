// The web UI's files served at `/` beside the API: assets by path, the
// app's pages falling back to index.html, the API and TAXII untouched, and
// the headers that keep the page to its own origin.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "server/rest_testing.h"

namespace accord::testing {
namespace {

using ::testing::HasSubstr;

class WebUiTest : public RestTest {
 protected:
  ServerConfig Config() override {
    std::filesystem::create_directories(web_.Join("assets"));
    WriteFile(web_.Join("index.html"), "<!DOCTYPE html><title>Accord UI</title>");
    WriteFile(web_.Join("assets/app.js"), "console.log('accord');");
    ServerConfig config;
    config.web_root = web_.path().string();
    return config;
  }
  HttpResponse Page(const std::string& path) {
    HttpRequest request;
    request.method = "GET";
    request.path = path;
    return node_.Send(request);
  }
  TempDir web_;
};

TEST_F(WebUiTest, AppPagesAndAssetsAreServedAtTheRoot) {
  HttpResponse index = Page("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_THAT(index.body, HasSubstr("Accord UI"));
  EXPECT_THAT(index.Header("content-security-policy"), HasSubstr("default-src 'self'"));
  HttpResponse deep = Page("/events/1234");
  EXPECT_EQ(deep.status, 200);
  EXPECT_THAT(deep.body, HasSubstr("Accord UI"));
  HttpResponse script = Page("/assets/app.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_THAT(script.Header("content-type"), HasSubstr("javascript"));
  EXPECT_EQ(Page("/assets/missing.js").status, 404);
  EXPECT_THAT(Page("/../../etc/passwd").body, ::testing::Not(HasSubstr("root:")));
  EXPECT_THAT(Page("/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd").body, ::testing::Not(HasSubstr("root:")));
}

TEST_F(WebUiTest, ApiAndTaxiiAreNotShadowedByThePageFallback) {
  EXPECT_EQ(Page("/api/v1/whoami").status, 401);
  HttpResponse unknown = Page("/api/v1/no-such-thing");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_THAT(unknown.Header("content-type"), HasSubstr("application/json"));
  EXPECT_EQ(Page("/taxii2/").status, 401);
  EXPECT_EQ(Page("/healthz").status, 200);
}

}  // namespace
}  // namespace accord::testing
