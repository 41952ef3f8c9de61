// ReadStixBundle on sightings and cyber-observables: what each gives to
// count against and to match. Read through TrickleStream as in
// stix_reader_test.cc.
#include <gtest/gtest.h>

#include "stix/stix.h"
#include "stix/stix_testing.h"

namespace accord {
namespace {

using stix_testing::ReadTrickled;
using stix_testing::RecordingSink;

const std::string kIndicatorId = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";

std::string Bundle(const std::vector<std::string>& objects) {
  return stix_testing::Bundle(objects, "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d");
}

TEST(ReadStixBundleTest, SightingBecomesSightingRecord) {
  RecordingSink sink;
  const std::string sighting =
      R"({"type":"sighting","spec_version":"2.1","id":"sighting--ee20065d-2555-424f-ad9e-0f8428623c75",)"
      R"("created":"2024-03-01T00:00:00Z","modified":"2024-03-01T00:00:00Z","sighting_of_ref":")" +
      kIndicatorId + R"(","count":12,"first_seen":"2024-02-28T00:00:00Z","last_seen":"2024-03-01T00:00:00Z",)"
      R"("where_sighted_refs":["identity--11111111-1111-4111-8111-111111111111",)"
      R"("identity--22222222-2222-4222-8222-222222222222"]})";
  ASSERT_TRUE(ReadTrickled(Bundle({sighting}), sink).ok());
  ASSERT_EQ(sink.sightings.size(), 1u);
  const SightingRecord& record = sink.sightings[0];
  EXPECT_EQ(record.indicator_stix_id, kIndicatorId);
  EXPECT_EQ(record.count, 12);
  EXPECT_EQ(record.first_seen, "2024-02-28T00:00:00.000Z");
  EXPECT_EQ(record.last_seen, "2024-03-01T00:00:00.000Z");
  EXPECT_EQ(record.source,
            "identity--11111111-1111-4111-8111-111111111111,identity--22222222-2222-4222-8222-222222222222");
  EXPECT_EQ(record.location, "sighting--ee20065d-2555-424f-ad9e-0f8428623c75");
  EXPECT_EQ(sink.objects.size(), 1u);
}

// Evidence of a malware sighting: one record per observed-data it names.
TEST(ReadStixBundleTest, SightingOfMalwareCountsThroughEachObservedData) {
  RecordingSink sink;
  const std::string sighting =
      R"({"type":"sighting","spec_version":"2.1","id":"sighting--ee20065d-2555-424f-ad9e-0f8428623c76",)"
      R"("created":"2024-03-01T00:00:00Z","modified":"2024-03-01T00:00:00Z",)"
      R"("sighting_of_ref":"malware--31b940d4-6f7f-459a-80ea-9c1f17b58abc","count":4,)"
      R"("observed_data_refs":["observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf",)"
      R"("observed-data--b67d30ff-02ac-498a-92f9-32f845f448d0"]})";
  ASSERT_TRUE(ReadTrickled(Bundle({sighting}), sink).ok());
  ASSERT_EQ(sink.sightings.size(), 2u);
  EXPECT_EQ(sink.sightings[0].indicator_stix_id, "observed-data--b67d30ff-02ac-498a-92f9-32f845f448cf");
  EXPECT_EQ(sink.sightings[1].indicator_stix_id, "observed-data--b67d30ff-02ac-498a-92f9-32f845f448d0");
  EXPECT_EQ(sink.sightings[1].count, 4);
  EXPECT_TRUE(sink.rejections.empty());
}

TEST(ReadStixBundleTest, TopLevelObservablesAreObservedOnly) {
  RecordingSink sink;
  const std::string bundle = Bundle({
      R"({"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"})",
      R"({"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742de","value":"198.51.100.0/24"})",
      R"({"type":"ipv6-addr","id":"ipv6-addr--1e61d36c-a16c-53b7-a80f-2a00161c96b1","value":"2001:db8::1"})",
      R"({"type":"domain-name","id":"domain-name--3c10e93f-798e-5a26-a0c1-08156efab7f5","value":"x.example"})",
      R"({"type":"url","id":"url--c1477287-23ac-5971-a010-5c287877fa60","value":"https://x.example/a"})",
      R"({"type":"email-addr","id":"email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3","value":"a@x.example"})",
      R"({"type":"file","id":"file--5a27d487-c542-5f97-a131-a8866b477b46","name":"a.exe",)"
      R"("hashes":{"MD5":"d41d8cd98f00b204e9800998ecf8427e","SHA-256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","SSDEEP":"3::"}})",
      R"({"type":"mutex","id":"mutex--eba44954-d4e4-5d3b-814c-2b17dd8de300","name":"Global\\x"})",
  });
  ASSERT_TRUE(ReadTrickled(bundle, sink).ok());
  EXPECT_EQ(sink.objects.size(), 8u);
  ASSERT_EQ(sink.indicators.size(), 8u);
  const std::vector<ObservableType> expected = {
      ObservableType::kIpv4,  ObservableType::kCidr, ObservableType::kIpv6, ObservableType::kDomain,
      ObservableType::kUrl,   ObservableType::kEmail, ObservableType::kMd5, ObservableType::kSha256};
  for (size_t record_idx = 0; record_idx < expected.size(); ++record_idx) {
    EXPECT_EQ(sink.indicators[record_idx].type, expected[record_idx]) << record_idx;
    EXPECT_FALSE(sink.indicators[record_idx].context.is_indicator);
  }
  EXPECT_EQ(sink.indicators[0].context.stix_id, "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd");
  EXPECT_EQ(sink.objects[1].spec_version, "2.1");
  // The mutex is kept, and said to give nothing to match.
  ASSERT_EQ(sink.rejections.size(), 1u);
  EXPECT_TRUE(sink.rejections[0].not_matched);
  EXPECT_NE(sink.rejections[0].location.find("mutex--eba44954-d4e4-5d3b-814c-2b17dd8de300"), std::string::npos);
  EXPECT_NE(sink.rejections[0].reason.find("mutex is stored"), std::string::npos);
}

// A certificate's fingerprints are matched like file hashes.
TEST(ReadStixBundleTest, CertificateHashesAreObservedValues) {
  RecordingSink sink;
  ASSERT_TRUE(ReadTrickled(Bundle({R"({"type":"x509-certificate","spec_version":"2.1",)"
                                   R"("id":"x509-certificate--463d7b2a-8516-5a50-a3d7-6f801465d5de",)"
                                   R"("hashes":{"SHA-1":"6e3a6c1d6b8d3c5f0b0a0e6e1d8c2b4a5f6e7d8c"},)"
                                   R"("serial_number":"36:f7:d4:32:f4:ab:70:ea:d3:ce:98:6e:ea:99:93:49"})"}),
                           sink)
                  .ok());
  ASSERT_EQ(sink.indicators.size(), 1u);
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kSha1);
  EXPECT_FALSE(sink.indicators[0].context.is_indicator);
  EXPECT_TRUE(sink.rejections.empty());
}

// OpenCTI's own observable types: Hostname (a domain) and
// Cryptocurrency-Wallet with `value` where the community extension has
// `address`.
TEST(ReadStixBundleTest, OpenCtiHostnameAndWalletObservablesAreRead) {
  RecordingSink sink;
  ASSERT_TRUE(ReadTrickled(Bundle({R"({"type":"hostname","spec_version":"2.1",)"
                                   R"("id":"hostname--2a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","value":"c2.evil.example"})",
                                   R"({"type":"cryptocurrency-wallet","spec_version":"2.1",)"
                                   R"("id":"cryptocurrency-wallet--3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",)"
                                   R"("value":"1BoatSLRHtKNngkdXEeobR76b53LETtpyT"})"}),
                           sink)
                  .ok());
  ASSERT_EQ(sink.indicators.size(), 2u);
  EXPECT_EQ(sink.indicators[0].type, ObservableType::kDomain);
  EXPECT_EQ(sink.indicators[0].value, "c2.evil.example");
  EXPECT_EQ(sink.indicators[1].type, ObservableType::kWallet);
  EXPECT_EQ(sink.indicators[1].value, "1BoatSLRHtKNngkdXEeobR76b53LETtpyT");
  EXPECT_TRUE(sink.rejections.empty());
}

}  // namespace
}  // namespace accord
