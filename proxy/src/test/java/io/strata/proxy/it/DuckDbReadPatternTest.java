package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cache.parquet.ByteSpan;
import io.strata.cache.parquet.ColumnChunk;
import io.strata.cache.parquet.FooterParser;
import io.strata.cache.parquet.ParquetFooter;
import io.strata.cache.parquet.RowGroup;
import io.strata.proxy.demo.WellLogDataset;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB's documented S3 read pattern, replayed against Strata (DuckDB's own httpfs cannot be
 * installed on these machines): HEAD for the size, a suffix read of the footer, then column-chunk
 * ranges merged across small gaps on 2 MiB-aligned boundaries, in parallel. Every answer is
 * checked for what DuckDB relies on, online and again offline.
 */
class DuckDbReadPatternTest {

  private static final long TWO_MIB = 2L << 20;
  private static final long MERGE_GAP = 16 << 10;

  @TempDir static Path dir;
  static StrataHarness strata;
  static String key;
  static byte[] file;

  @BeforeAll
  static void start() throws Exception {
    strata = new StrataHarness(dir);
    WellLogDataset dataset = WellLogDataset.standard().withRows(120_000, 20_000);
    dataset.seed(strata.direct, line -> {});
    key = dataset.keys().stream().filter(k -> k.endsWith(".parquet")).findFirst().orElseThrow();
    file = strata.direct.getObjectAsBytes(b -> b.bucket(WellLogDataset.BUCKET).key(key)).asByteArray();
  }

  @AfterAll
  static void stop() throws Exception {
    strata.close();
  }

  @Test
  void duckDbPattern_online_thenOffline() throws Exception {
    replay();
    strata.assertCacheConsistent();
    strata.network.cut();
    strata.network.clearRequests();
    try {
      replay();
      assertThat(strata.network.requests()).as("all from the cache").isEmpty();
    } finally {
      strata.network.restore();
    }
  }

  private void replay() throws Exception {
    String path = "/" + WellLogDataset.BUCKET + "/" + key;
    // 1. HEAD: DuckDB downloads whole files when Content-Length is missing
    HttpResponse<byte[]> head = strata.raw("HEAD", path);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("content-length")).hasValue(file.length);
    assertThat(head.headers().firstValue("accept-ranges")).hasValue("bytes");
    assertThat(head.headers().firstValue("etag")).isPresent();
    assertThat(head.headers().firstValue("last-modified")).isPresent();

    // 2. the footer: one suffix read sized about file/1000, clamped to 16-256 KiB
    long suffix = Math.max(16 << 10, Math.min(256 << 10, file.length / 1000));
    HttpResponse<byte[]> tail = strata.raw("GET", path, "Range", "bytes=-" + suffix);
    assertPartial(tail, file.length - suffix, file.length - 1);
    int footerLength = FooterParser.footerLength(Arrays.copyOfRange(tail.body(), tail.body().length - 8, tail.body().length),
        file.length);
    assertThat((long) footerLength).as("this footer fits the suffix read").isLessThanOrEqualTo(suffix);
    ParquetFooter footer = FooterParser.parse(
        Arrays.copyOfRange(tail.body(), tail.body().length - footerLength, tail.body().length), file.length);

    // 3. column chunks of two curves, gaps under 16 KiB merged, widened to 2 MiB boundaries, in parallel
    List<ByteSpan> chunks = new ArrayList<>();
    for (RowGroup g : footer.rowGroups()) {
      for (String column : List.of("GR", "RHOB")) {
        ColumnChunk c = g.chunk(column).orElseThrow();
        chunks.add(c.span());
      }
    }
    List<long[]> reads = mergeAndAlign(chunks);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
      for (long[] r : reads) {
        answers.add(pool.submit(() -> strata.raw("GET", path, "Range", "bytes=" + r[0] + "-" + r[1])));
      }
      for (int i = 0; i < reads.size(); i++) {
        assertPartial(answers.get(i).get(), reads.get(i)[0], reads.get(i)[1]);
      }
    } finally {
      pool.shutdown();
    }

    // 4. a plain GET is a 200 without Content-Range (DuckDB fails on a 200 that carries one)
    HttpResponse<byte[]> whole = strata.raw("GET", path);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.headers().firstValue("content-range")).isEmpty();
    assertThat(whole.body()).isEqualTo(file);
  }

  /** DuckDB's merging: gaps under 16 KiB joined, then each read widened to 2 MiB boundaries. */
  private static List<long[]> mergeAndAlign(List<ByteSpan> spans) {
    List<long[]> merged = new ArrayList<>();
    for (ByteSpan s : spans.stream().sorted().toList()) {
      long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && s.offset() - last[1] - 1 < MERGE_GAP) {
        last[1] = Math.max(last[1], s.last());
      } else {
        merged.add(new long[] {s.offset(), s.last()});
      }
    }
    for (long[] r : merged) {
      r[0] = r[0] / TWO_MIB * TWO_MIB;
      r[1] = Math.min(file.length - 1, (r[1] / TWO_MIB + 1) * TWO_MIB - 1);
    }
    return merged;
  }

  private static void assertPartial(HttpResponse<byte[]> r, long first, long last) {
    assertThat(r.statusCode()).isEqualTo(206);
    Matcher m = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)").matcher(r.headers().firstValue("content-range").orElse(""));
    assertThat(m.matches()).as("Content-Range").isTrue();
    assertThat(Long.parseLong(m.group(1))).isEqualTo(first);
    assertThat(Long.parseLong(m.group(2))).isEqualTo(last);
    assertThat(Long.parseLong(m.group(3))).isEqualTo(file.length);
    assertThat(r.headers().firstValueAsLong("content-length")).hasValue(last - first + 1);
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(file, (int) first, (int) last + 1));
  }
}
