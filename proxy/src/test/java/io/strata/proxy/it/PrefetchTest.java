package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.runtime.server.EmbeddedServer;
import io.strata.cache.BlockLayout;
import io.strata.cache.ObjectVersion;
import io.strata.cache.parquet.ByteSpan;
import io.strata.cache.parquet.ParquetFooter;
import io.strata.cache.parquet.RowGroup;
import io.strata.proxy.demo.DemoUpstream;
import io.strata.proxy.demo.WellLogDataset;
import io.strata.proxy.parquet.ParquetFooters;
import io.strata.proxy.parquet.PrefetchJob;
import io.strata.proxy.parquet.PrefetchJobs;
import io.strata.proxy.parquet.PrefetchRequest;
import io.strata.proxy.testing.TestSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Curve x depth prefetch of a real well-log Parquet file (DEPTH and 8 curves, 10 row groups,
 * sorted by depth): exactly the footer and the chunks of GR, RHOB and DEPTH in the row groups
 * that overlap the window come from the upstream, and then a real reader (parquet-hadoop over S3A,
 * column projection and a DEPTH filter) reads that window through Strata with the upstream gone.
 */
class PrefetchTest {

  private static final int ROWS = 80_000;
  private static final int ROWS_PER_GROUP = 8_000;
  private static final long BLOCK = 64 << 10;

  @TempDir static Path dir;
  static StrataHarness strata;
  static String key;
  static long fileSize;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    // small blocks, so block alignment does not hide what was planned
    strata = new StrataHarness(dir, Map.of("strata.cache.block-size", "64KiB"));
    strata.bean(EmbeddedServer.class).start();
    WellLogDataset dataset = WellLogDataset.standard().withRows(ROWS, ROWS_PER_GROUP);
    dataset.seed(strata.direct, line -> {});
    key = dataset.keys().stream().filter(k -> k.endsWith("logs.parquet")).findFirst().orElseThrow();
    fileSize = strata.direct.headObject(b -> b.bucket(WellLogDataset.BUCKET).key(key)).contentLength();
  }

  @AfterAll
  static void stop() throws Exception {
    if (strata != null) {
      strata.close();
    }
  }

  @Test
  void curvesOverADepthWindow_fetchExactlyTheirChunks_thenReadOfflineWithARealReader() throws Exception {
    ObjectVersion version = version();
    ParquetFooter footer = strata.bean(ParquetFooters.class).footer(version);
    assertThat(footer.rowGroups()).hasSize(ROWS / ROWS_PER_GROUP);
    assertThat(footer.columns()).hasSize(9).startsWith("DEPTH", "GR", "RHOB");
    // a window strictly inside row groups 3 and 4
    RowGroup third = footer.rowGroups().get(3);
    RowGroup fourth = footer.rowGroups().get(4);
    double min = third.chunk("DEPTH").orElseThrow().min() + 1;
    double max = fourth.chunk("DEPTH").orElseThrow().max() - 1;
    strata.assertCacheConsistent();
    strata.network.clearRequests();

    PrefetchJob job = strata.bean(PrefetchJobs.class).submit(new PrefetchRequest(WellLogDataset.BUCKET,
        List.of(key), null, List.of("GR", "RHOB"), new PrefetchRequest.Range("DEPTH", min, max), "visible"));
    awaitDone(job);

    List<ByteSpan> planned = new ArrayList<>();
    planned.add(footer.span());
    for (RowGroup g : List.of(third, fourth)) {
      for (String column : List.of("DEPTH", "GR", "RHOB")) {
        planned.add(g.chunk(column).orElseThrow().span());
      }
    }
    assertThat(job.state()).isEqualTo(PrefetchJob.State.DONE);
    assertThat(job.bytesTotal()).isEqualTo(planned.stream().mapToLong(ByteSpan::length).sum());
    BitSet expected = blocksCovering(planned);
    BitSet fetched = new BitSet();
    List<String> gets = strata.network.requests().stream().filter(r -> r.startsWith("GET ")).toList();
    for (String get : gets) {
      Matcher m = Pattern.compile("range=bytes=(\\d+)-(\\d+)").matcher(get);
      assertThat(m.find()).as(get).isTrue();
      BitSet these = blocksCovering(List.of(new ByteSpan(Long.parseLong(m.group(1)),
          Long.parseLong(m.group(2)) - Long.parseLong(m.group(1)) + 1)));
      assertThat(these.intersects(fetched)).as("no block fetched twice: " + get).isFalse();
      fetched.or(these);
    }
    // the footer was read before the window was chosen; everything else came with the job
    BitSet footerBlocks = blocksCovering(List.of(footer.span()));
    expected.andNot(footerBlocks);
    assertThat(fetched).isEqualTo(expected);
    long fetchedBytes = fetched.cardinality() * BLOCK + footer.span().length();
    assertThat(fetchedBytes).as("a window of two curves is a small part of the file").isLessThan(fileSize / 5);
    System.out.printf("prefetch GR,RHOB over %.1f-%.1f m: planned %d bytes, fetched %d block(s) (%d bytes) in %d GET(s)"
        + " of a %d-byte file%n", min, max, job.bytesTotal(), fetched.cardinality(), fetched.cardinality() * BLOCK,
        gets.size(), fileSize);
    strata.assertCacheConsistent();

    List<double[]> direct;
    try (FileSystem fs = S3a.fileSystem(strata.upstream.endpoint(), DemoUpstream.ACCESS_KEY, DemoUpstream.SECRET_KEY, "random")) {
      direct = window(fs, List.of("GR", "RHOB"), min, max);
    }
    strata.network.cut();
    strata.network.clearRequests();
    try (FileSystem fs = S3a.fileSystem(strata.endpoint(), TestSigner.HARNESS.accessKey(), TestSigner.HARNESS.secretKey(), "random")) {
      List<double[]> offline = window(fs, List.of("GR", "RHOB"), min, max);
      assertThat(offline.get(0)).as("DEPTH").isNotEmpty().containsExactly(direct.get(0));
      assertThat(offline.get(1)).as("GR").containsExactly(direct.get(1));
      assertThat(offline.get(2)).as("RHOB").containsExactly(direct.get(2));
      assertThat(strata.network.requests()).as("nothing reached the upstream").isEmpty();

      // Strata learns the upstream is gone at its first attempt to reach it: a read that began
      // with cached bytes can then only be cut short. Once it knows, a miss is a 503 up front.
      assertThatThrownBy(() -> strata.client().headObject(b -> b.bucket(StrataHarness.BUCKET).key("never/seen")))
          .hasMessageContaining("503");
      assertThatThrownBy(() -> window(fs, List.of("NPHI"), min, max))
          .as("a curve that was not prefetched").hasStackTraceContaining("503");
    } finally {
      strata.network.restore();
    }
  }

  @Test
  void adminApi_startsAJob_reportsProgress_andNamesTheColumnsAFileHas() throws Exception {
    HttpResponse<String> started = post("{\"bucket\":\"" + WellLogDataset.BUCKET + "\",\"keys\":[\"" + key
        + "\"],\"columns\":[\"PEF\"],\"priority\":\"favorite\"}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    String id = started.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    HttpResponse<String> status = awaitDone(id);
    assertThat(status.body()).contains("\"state\":\"done\"").contains("\"percent\":100.0").contains("\"priority\":\"favorite\"")
        .contains("\"parquet\":true");

    HttpResponse<String> unknown = post("{\"bucket\":\"" + WellLogDataset.BUCKET + "\",\"keys\":[\"" + key
        + "\"],\"columns\":[\"GR\",\"TNPH\"]}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("TNPH").contains("DEPTH").contains("RHOB").contains("PEF");

    assertThat(post("{\"bucket\":\"" + WellLogDataset.BUCKET + "\",\"keys\":[\"" + key + "\"],\"priority\":\"urgent\"}")
        .statusCode()).isEqualTo(400);
    assertThat(post("{\"bucket\":\"" + WellLogDataset.BUCKET + "\",\"keys\":[\"no/such.parquet\"]}").statusCode())
        .isEqualTo(404);
    assertThat(http.send(HttpRequest.newBuilder(admin("/api/prefetch/nope")).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(404);
  }

  @Test
  void nonParquetObjects_arePrefetchedWhole() throws Exception {
    strata.put("notes/readme.txt", "not parquet".getBytes());
    long deadline = System.nanoTime() + 10_000_000_000L; // another test may have just cut the network
    while (!strata.bean(io.strata.proxy.upstream.UpstreamHealth.class).isOnline() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    PrefetchJob job = strata.bean(PrefetchJobs.class).submit(new PrefetchRequest(StrataHarness.BUCKET, null, "notes/",
        null, null, null));
    awaitDone(job);
    assertThat(job.selections()).singleElement().satisfies(s -> {
      assertThat(s.parquet()).isFalse();
      assertThat(s.spans()).containsExactly(new ByteSpan(0, 11));
    });
  }

  // --- helpers ---

  /** DEPTH and {@code curves} of the rows in [min, max], read with projection and a DEPTH filter. */
  private static List<double[]> window(FileSystem fs, List<String> curves, double min, double max) throws IOException {
    var filter = FilterCompat.get(FilterApi.and(
        FilterApi.gtEq(FilterApi.doubleColumn("DEPTH"), min), FilterApi.ltEq(FilterApi.doubleColumn("DEPTH"), max)));
    ParquetReadOptions options = ParquetReadOptions.builder().withRecordFilter(filter).useStatsFilter(true).build();
    try (ParquetFileReader reader = ParquetFileReader.open(S3a.input(fs, WellLogDataset.BUCKET, key), options)) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      List<String> columns = new ArrayList<>(List.of("DEPTH"));
      columns.addAll(curves);
      Types.MessageTypeBuilder builder = Types.buildMessage();
      columns.forEach(c -> builder.addField(schema.getType(c)));
      MessageType projection = builder.named(schema.getName());
      reader.setRequestedSchema(projection);
      List<List<Double>> values = new ArrayList<>();
      columns.forEach(c -> values.add(new ArrayList<>()));
      PageReadStore group;
      while ((group = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records =
            new ColumnIOFactory().getColumnIO(projection).getRecordReader(group, new GroupRecordConverter(projection));
        for (long i = 0; i < group.getRowCount(); i++) {
          Group g = records.read();
          double depth = g.getDouble("DEPTH", 0);
          if (depth < min || depth > max) {
            continue;
          }
          for (int c = 0; c < columns.size(); c++) {
            values.get(c).add(g.getFieldRepetitionCount(columns.get(c)) == 0 ? Double.NaN : g.getDouble(columns.get(c), 0));
          }
        }
      }
      return values.stream().map(v -> v.stream().mapToDouble(Double::doubleValue).toArray()).toList();
    }
  }

  private static ObjectVersion version() {
    return strata.bean(io.strata.proxy.s3.ObjectMetadata.class).current(WellLogDataset.BUCKET, key).version();
  }

  private static BitSet blocksCovering(List<ByteSpan> spans) {
    BlockLayout layout = strata.cache().layout(fileSize);
    BitSet blocks = new BitSet();
    for (ByteSpan s : spans) {
      blocks.set(layout.indexOf(s.offset()), layout.indexOf(s.last()) + 1);
    }
    return blocks;
  }

  private static void awaitDone(PrefetchJob job) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (job.state() == PrefetchJob.State.RUNNING && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(job.state()).as(job.errors().toString()).isEqualTo(PrefetchJob.State.DONE);
  }

  private HttpResponse<String> awaitDone(String id) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(admin("/api/prefetch/" + id)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (!r.body().contains("\"state\":\"running\"") || System.nanoTime() > deadline) {
        return r;
      }
      Thread.sleep(20);
    }
  }

  private HttpResponse<String> post(String json) throws Exception {
    return http.send(HttpRequest.newBuilder(admin("/api/prefetch")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI admin(String path) {
    return URI.create("http://127.0.0.1:" + strata.bean(EmbeddedServer.class).getPort() + path);
  }
}
