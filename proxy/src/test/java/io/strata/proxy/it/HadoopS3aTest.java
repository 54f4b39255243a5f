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
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
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
