package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upstream goes away: what was read stays readable, the rest fails fast and clearly. */
class OfflineTest {

  @TempDir Path dir;
  StrataHarness strata;
  byte[] data;

  @BeforeEach
  void start() throws Exception {
    strata = new StrataHarness(dir);
    data = new byte[5 * 1024 * 1024 + 777];
    new Random(3).nextBytes(data);
    strata.put("wells/w1/logs.parquet", data);
    strata.put("wells/w2/logs.parquet", new byte[] {1, 2, 3});
  }

  @AfterEach
  void stop() throws Exception {
    strata.assertCacheConsistent();
    strata.close();
  }

  @Test
  void offline_previouslyReadRangesAndHeads_areServedFromCache() throws Exception {
    String[] ranges = {"bytes=0-1000", "bytes=-65536", "bytes=2097152-2200000", "bytes=1048570-1048600"};
    byte[][] online = new byte[ranges.length][];
    for (int i = 0; i < ranges.length; i++) {
      online[i] = strata.raw("GET", "/logs/wells/w1/logs.parquet", "Range", ranges[i]).body();
    }
    strata.raw("HEAD", "/logs/wells/w1/logs.parquet");
    strata.client().listObjectsV2(b -> b.bucket("logs").prefix("wells/"));

    strata.assertCacheConsistent(); // a read ends before its last block is committed: let fills finish
    strata.network.cut();

    for (int i = 0; i < ranges.length; i++) {
      HttpResponse<byte[]> r = strata.raw("GET", "/logs/wells/w1/logs.parquet", "Range", ranges[i]);
      assertThat(r.statusCode()).as(ranges[i]).isEqualTo(206);
      assertThat(r.body()).as(ranges[i]).isEqualTo(online[i]);
      assertThat(r.headers().firstValue("x-strata-cache").orElse("")).startsWith("hit");
    }
    HttpResponse<byte[]> head = strata.raw("HEAD", "/logs/wells/w1/logs.parquet");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("content-length")).hasValue(Integer.toString(data.length));

    var listing = strata.client().listObjectsV2Paginator(b -> b.bucket("logs").prefix("wells/")).contents().stream().map(o -> o.key()).toList();
    assertThat(listing).containsExactly("wells/w1/logs.parquet", "wells/w2/logs.parquet");
    HttpResponse<byte[]> rawList = strata.raw("GET", "/logs?list-type=2&prefix=wells/&delimiter=/");
    assertThat(rawList.headers().firstValue("x-strata-offline")).hasValue("true");
    assertThat(new String(rawList.body(), StandardCharsets.UTF_8)).contains("<Prefix>wells/w1/</Prefix>");
  }

  @Test
  void offline_unreadRange_fails503Fast_namingTheRange() throws Exception {
    strata.raw("GET", "/logs/wells/w1/logs.parquet", "Range", "bytes=0-99");
    strata.assertCacheConsistent(); // a read ends before its last block is committed: let fills finish
    strata.network.cut();

    long started = System.nanoTime();
    HttpResponse<byte[]> r = strata.raw("GET", "/logs/wells/w1/logs.parquet", "Range", "bytes=3000000-3000099");
    long millis = (System.nanoTime() - started) / 1_000_000;

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(millis).as("answered within 1 s").isLessThan(1000);
    assertThat(r.headers().firstValue("x-strata-offline")).hasValue("true");
    String xml = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(xml).contains("<Code>ServiceUnavailable</Code>").contains("logs").contains("wells/w1/logs.parquet")
        .contains("3000000-3000099").contains("unreachable");

    // a second request does not wait for a connect timeout either
    long again = System.nanoTime();
    assertThat(strata.raw("GET", "/logs/wells/w2/logs.parquet").statusCode()).isEqualTo(503);
    assertThat((System.nanoTime() - again) / 1_000_000).isLessThan(1000);
  }

  @Test
  void upstreamBack_isNoticedWithin5Seconds() throws Exception {
    strata.network.cut();
    assertThat(strata.raw("GET", "/logs/wells/w2/logs.parquet").statusCode()).isEqualTo(503);
    strata.network.restore();
    long deadline = System.nanoTime() + 5_000_000_000L;
    int status = 0;
    while (System.nanoTime() < deadline && status != 200) {
      status = strata.raw("GET", "/logs/wells/w2/logs.parquet").statusCode();
      if (status != 200) Thread.sleep(100);
    }
    assertThat(status).isEqualTo(200);
  }

  @Test
  void restart_onSameCacheDir_servesCachedDataOffline() throws Exception {
    byte[] footer = strata.raw("GET", "/logs/wells/w1/logs.parquet", "Range", "bytes=-8").body();
    strata.assertCacheConsistent(); // a read ends before its last block is committed: let fills finish
    strata.stopStrata();
    strata.network.cut();
    strata.startStrata();

    HttpResponse<byte[]> r = strata.raw("GET", "/logs/wells/w1/logs.parquet", "Range", "bytes=-8");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.body()).isEqualTo(footer).isEqualTo(Arrays.copyOfRange(data, data.length - 8, data.length));
  }
}
