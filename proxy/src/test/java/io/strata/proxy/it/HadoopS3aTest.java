package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.proxy.demo.DemoUpstream;
import io.strata.proxy.testing.TestSigner;
import io.strata.proxy.demo.WellLogDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unmodified query-engine read path, Hadoop S3A + parquet-hadoop, reading a multi-row-group
 * well-log file through Strata: footer, then two curves by column projection, compared with the
 * same reads straight from the upstream, and again after the upstream is gone.
 *
 * <p>S3A runs with its defaults (change detection by ETag included); only the settings every user
 * of a non-AWS endpoint sets are changed (endpoint, path style, no TLS, static keys). Every phase
 * uses a fresh, uncached {@link FileSystem}, so no client-side state hides a Strata miss.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HadoopS3aTest {

  /** 30,000 rows in groups of 8,000: four row groups, about 2 MB per file. */
  private static final int ROWS = 30_000;
  private static final int ROWS_PER_GROUP = 8_000;
  private static final List<String> CURVES = List.of("GR", "RHOB");

  @TempDir static Path dir;
  static StrataHarness strata;
  /** Sits in front of Strata and records what S3A sends it. */
  static TcpFaultProxy clientSide;
  static List<String> keys;

  @BeforeAll
  static void start() throws Exception {
    strata = new StrataHarness(dir);
    WellLogDataset dataset = WellLogDataset.standard().withRows(ROWS, ROWS_PER_GROUP);
    dataset.seed(strata.direct, line -> {});
    keys = dataset.keys().stream().filter(k -> k.endsWith("logs.parquet")).toList();
    clientSide = new TcpFaultProxy(strata.endpoint());
  }

  @AfterAll
  static void stop() throws Exception {
    if (clientSide != null) clientSide.close();
    if (strata != null) {
      strata.assertCacheConsistent();
      strata.close();
    }
  }

  @Test
  @Order(1)
  void footer_throughStrata_matchesUpstream() throws Exception {
    ParquetMetadata viaStrata;
    ParquetMetadata direct;
    try (FileSystem fs = S3a.fileSystem(clientSide.endpoint(), TestSigner.HARNESS.accessKey(), TestSigner.HARNESS.secretKey(), "default")) {
      viaStrata = footer(fs, keys.get(0));
    }
    try (FileSystem fs = S3a.fileSystem(strata.upstream.endpoint(), DemoUpstream.ACCESS_KEY, DemoUpstream.SECRET_KEY, "default")) {
      direct = footer(fs, keys.get(0));
    }

    assertThat(viaStrata.getBlocks()).hasSize((ROWS + ROWS_PER_GROUP - 1) / ROWS_PER_GROUP);
    assertThat(viaStrata.getBlocks()).hasSameSizeAs(direct.getBlocks());
    assertThat(viaStrata.getFileMetaData().getSchema()).isEqualTo(direct.getFileMetaData().getSchema());
    assertThat(viaStrata.getFileMetaData().getSchema().getFields().stream().map(f -> f.getName()))
        .startsWith("DEPTH").contains("GR", "RHOB", "NPHI");
    for (int i = 0; i < direct.getBlocks().size(); i++) {
      assertThat(viaStrata.getBlocks().get(i).getRowCount()).isEqualTo(direct.getBlocks().get(i).getRowCount());
      assertThat(viaStrata.getBlocks().get(i).getStartingPos()).isEqualTo(direct.getBlocks().get(i).getStartingPos());
    }
    assertThat(clientSide.requests()).as("requests S3A sent to Strata").isNotEmpty();
  }

  /**
   * S3A's defaults: Hadoop 3.4.3's default input stream fetches this 2 MB file in one GET (seen:
   * HEAD, HEAD, {@code GET bytes=0-<last>}).
   */
  @Test
  @Order(2)
  void twoCurves_defaultInputPolicy_matchUpstream_andAreIdenticalOffline() throws Exception {
    twoCurves_matchUpstream_andAreIdenticalOffline(keys.get(0), "default");
  }

  /**
   * {@code fs.s3a.input.stream.type=classic} and {@code fs.s3a.experimental.input.fadvise=random},
   * as query engines configure S3A for Parquet: the footer tail, the footer, then the projected
   * column chunks of each row group as vectored ranged GETs.
   */
  @Test
  @Order(3)
  void twoCurves_classicStreamRandomPolicy_matchUpstream_andAreIdenticalOffline() throws Exception {
    clientSide.clearRequests();
    twoCurves_matchUpstream_andAreIdenticalOffline(keys.get(1), "random");
  }

  private static void twoCurves_matchUpstream_andAreIdenticalOffline(String key, String fadvise) throws Exception {
    List<double[]> direct;
    try (FileSystem fs = S3a.fileSystem(strata.upstream.endpoint(), DemoUpstream.ACCESS_KEY, DemoUpstream.SECRET_KEY, fadvise)) {
      direct = readCurves(fs, key);
    }
    List<double[]> online;
    try (FileSystem fs = S3a.fileSystem(clientSide.endpoint(), TestSigner.HARNESS.accessKey(), TestSigner.HARNESS.secretKey(), fadvise)) {
      online = readCurves(fs, key);
    }
    long length = strata.direct.headObject(b -> b.bucket(WellLogDataset.BUCKET).key(key)).contentLength();
    if ("random".equals(fadvise)) {
      assertThat(clientSide.requests().stream().filter(r -> r.startsWith("GET ")).toList())
          .as("ranged reads of footer and column chunks, never the whole file")
          .hasSizeGreaterThan(2)
          .allMatch(r -> r.contains(" range=bytes="))
          .noneMatch(r -> r.endsWith(" range=bytes=0-" + (length - 1)));
    }
    assertThat(direct.get(0)).hasSize(ROWS);
    assertThat(online).hasSize(CURVES.size());
    for (int c = 0; c < CURVES.size(); c++) {
      assertThat(online.get(c)).as(CURVES.get(c)).containsExactly(direct.get(c));
    }

    strata.assertCacheConsistent(); // a read ends before its last block is committed: let fills finish
    strata.network.cut();
    strata.network.clearRequests();
    try {
      List<double[]> offline;
      try (FileSystem fs = S3a.fileSystem(clientSide.endpoint(), TestSigner.HARNESS.accessKey(), TestSigner.HARNESS.secretKey(), fadvise)) {
        offline = readCurves(fs, key);
      }
      for (int c = 0; c < CURVES.size(); c++) {
        assertThat(offline.get(c)).as(CURVES.get(c) + " offline").containsExactly(direct.get(c));
      }
      assertThat(strata.network.requests()).as("nothing reached the upstream").isEmpty();
    } finally {
      strata.network.restore();
    }
  }

  /**
   * parquet-hadoop writing through S3A (create, PUT on close) online and offline: each file reads
   * back through Strata at once, and reaches the upstream byte for byte once it is reachable.
   * Offline, S3A's create-time checks (HEAD and LIST of the new path, to refuse overwriting a
   * directory) cannot be answered for a key Strata never saw (503), so the offline writer sets
   * {@code fs.s3a.create.performance=true}, S3A's switch for skipping them, as docs/clients.md says.
   */
  @Test
  @Order(4)
  void parquetHadoop_writesThroughS3a_onlineAndOffline_deliveredUpstream() throws Exception {
    String onlineKey = "written/online.parquet";
    String offlineKey = "written/offline.parquet";
    try (FileSystem fs = S3a.fileSystem(clientSide.endpoint(), TestSigner.HARNESS.accessKey(), TestSigner.HARNESS.secretKey(), "random")) {
      writeCurves(fs, onlineKey, 1);
      assertThat(readCurves(fs, onlineKey)).usingRecursiveComparison().isEqualTo(curves(1));
    }
    strata.network.cut();
    try (FileSystem fs = S3a.fileSystem(clientSide.endpoint(), TestSigner.HARNESS.accessKey(), TestSigner.HARNESS.secretKey(),
        "random", WellLogDataset.BUCKET, java.util.Map.of("fs.s3a.create.performance", "true"))) {
      writeCurves(fs, offlineKey, 2);
      assertThat(readCurves(fs, offlineKey)).as("read back offline").usingRecursiveComparison().isEqualTo(curves(2));
    } finally {
      strata.network.restore();
    }
    long deadline = System.nanoTime() + 30_000_000_000L; // write-back: delivered in the background
    while (!strata.bean(io.strata.cache.uploads.UploadQueue.class).all().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    try (FileSystem fs = S3a.fileSystem(strata.upstream.endpoint(), DemoUpstream.ACCESS_KEY, DemoUpstream.SECRET_KEY, "random")) {
      assertThat(readCurves(fs, onlineKey)).as("upstream copy").usingRecursiveComparison().isEqualTo(curves(1));
      assertThat(readCurves(fs, offlineKey)).as("upstream copy").usingRecursiveComparison().isEqualTo(curves(2));
    }
  }

  /** {@link #CURVES} for 20,000 rows in three row groups, from a seed. */
  private static List<double[]> curves(long seed) {
    java.util.Random random = new java.util.Random(seed);
    List<double[]> values = new ArrayList<>();
    for (int c = 0; c < CURVES.size(); c++) {
      double[] column = new double[20_000];
      for (int i = 0; i < column.length; i++) {
        column[i] = random.nextDouble() * 150;
      }
      values.add(column);
    }
    return values;
  }

  private static void writeCurves(FileSystem fs, String key, long seed) throws IOException {
    MessageType schema = Types.buildMessage()
        .required(PrimitiveTypeName.DOUBLE).named("DEPTH")
        .required(PrimitiveTypeName.DOUBLE).named(CURVES.get(0))
        .required(PrimitiveTypeName.DOUBLE).named(CURVES.get(1))
        .named("well_log");
    List<double[]> values = curves(seed);
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path("s3a://" + WellLogDataset.BUCKET + "/" + key);
    org.apache.hadoop.conf.Configuration conf = fs.getConf();
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(path, conf))
        .withConf(conf)
        .withType(schema)
        .withRowGroupSize(160_000L) // several row groups
        .build()) {
      SimpleGroupFactory rows = new SimpleGroupFactory(schema);
      for (int i = 0; i < values.get(0).length; i++) {
        Group row = rows.newGroup().append("DEPTH", 1000 + i * 0.1524);
        for (int c = 0; c < CURVES.size(); c++) {
          row.append(CURVES.get(c), values.get(c)[i]);
        }
        writer.write(row);
      }
    }
  }

  private static ParquetMetadata footer(FileSystem fs, String key) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(S3a.input(fs, WellLogDataset.BUCKET, key), ParquetReadOptions.builder().build())) {
      return reader.getFooter();
    }
  }

  /** All values of {@link #CURVES}, read by column projection, row group by row group. */
  private static List<double[]> readCurves(FileSystem fs, String key) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(S3a.input(fs, WellLogDataset.BUCKET, key), ParquetReadOptions.builder().build())) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      Types.MessageTypeBuilder builder = Types.buildMessage();
      CURVES.forEach(c -> builder.addField(schema.getType(c)));
      MessageType projection = builder.named(schema.getName());
      reader.setRequestedSchema(projection);

      int rows = Math.toIntExact(reader.getRecordCount());
      List<double[]> values = new ArrayList<>();
      CURVES.forEach(c -> values.add(new double[rows]));
      int row = 0;
      PageReadStore group;
      while ((group = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records =
            new ColumnIOFactory().getColumnIO(projection).getRecordReader(group, new GroupRecordConverter(projection));
        for (long i = 0; i < group.getRowCount(); i++, row++) {
          Group g = records.read();
          for (int c = 0; c < CURVES.size(); c++) {
            values.get(c)[row] =
                g.getFieldRepetitionCount(CURVES.get(c)) == 0 ? Double.NaN : g.getDouble(CURVES.get(c), 0);
          }
        }
      }
      assertThat(row).isEqualTo(rows);
      return values;
    }
  }
}
