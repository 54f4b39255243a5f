package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cache.ObjectVersion;
import io.strata.cache.parquet.ColumnChunk;
import io.strata.cache.parquet.ParquetFooter;
import io.strata.proxy.demo.DemoUpstream;
import io.strata.proxy.parquet.ParquetFooters;
import io.strata.proxy.parquet.PrefetchJob;
import io.strata.proxy.parquet.PrefetchJobs;
import io.strata.proxy.parquet.PrefetchRequest;
import io.strata.proxy.s3.ObjectMetadata;
import io.strata.proxy.testing.TestSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file written by parquet-hadoop with a page index (one row group, pages of 1,000 rows): a depth
 * window is narrowed from whole column chunks to the pages that hold it, and parquet-hadoop, reading
 * with its page-index filter over S3A, finds every page it needs in the cache with the upstream gone.
 */
class PageIndexPrefetchTest {

  private static final String KEY = "pi/log.parquet";
  private static final int ROWS = 20_000;
  private static final MessageType SCHEMA = MessageTypeParser.parseMessageType(
      "message well { required double DEPTH; required double GR; required double RHOB; required double NPHI; }");

  @TempDir static Path dir;
  static StrataHarness strata;

  @BeforeAll
  static void start() throws Exception {
    strata = new StrataHarness(dir.resolve("cache"), Map.of("strata.cache.block-size", "64KiB"));
    Path file = dir.resolve("log.parquet");
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withType(SCHEMA)
        .withConf(new Configuration(false))
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
        .withDictionaryEncoding(false)
        .withPageRowCountLimit(1_000)
        .withRowGroupSize(64L << 20)
        .build()) {
      SimpleGroupFactory rows = new SimpleGroupFactory(SCHEMA);
      for (int i = 0; i < ROWS; i++) {
        writer.write(rows.newGroup().append("DEPTH", 1000 + i * 0.1524).append("GR", 40.0 + (i % 97))
            .append("RHOB", 2.2 + (i % 13) / 100.0).append("NPHI", 0.1 + (i % 7) / 100.0));
      }
    }
    strata.put(KEY, Files.readAllBytes(file));
  }

  @AfterAll
  static void stop() throws Exception {
    strata.close();
  }

  @Test
  void depthWindow_narrowsToPages_andAPageIndexReaderReadsItOffline() throws Exception {
    ObjectVersion version = strata.bean(ObjectMetadata.class).current(StrataHarness.BUCKET, KEY).version();
    ParquetFooter footer = strata.bean(ParquetFooters.class).footer(version);
    assertThat(footer.rowGroups()).hasSize(1);
    ColumnChunk gr = footer.rowGroups().get(0).chunk("GR").orElseThrow();
    assertThat(gr.columnIndex()).as("parquet-hadoop writes a page index").isNotNull();
    assertThat(gr.offsetIndex()).isNotNull();
    double min = 1800;
    double max = 2000; // rows 5,250 to 6,562: pages 5 and 6 of 20

    PrefetchJob job = strata.bean(PrefetchJobs.class).submit(new PrefetchRequest(StrataHarness.BUCKET,
        List.of(KEY), null, List.of("GR"), new PrefetchRequest.Range("DEPTH", min, max), null));
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (job.state() == PrefetchJob.State.RUNNING && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(job.state()).as(job.errors().toString()).isEqualTo(PrefetchJob.State.DONE);
    long chunks = gr.compressedSize() + footer.rowGroups().get(0).chunk("DEPTH").orElseThrow().compressedSize();
    long pages = job.bytesTotal() - footer.span().length();
    System.out.printf("page index: GR over DEPTH %.0f-%.0f plans %d bytes of pages and indexes, against %d bytes of"
        + " the two whole column chunks%n", min, max, pages, chunks);
    assertThat(pages).as("two pages of each of two columns, and their indexes").isLessThan(chunks / 4);

    List<double[]> direct;
    try (FileSystem fs = S3a.fileSystem(strata.upstream.endpoint(), DemoUpstream.ACCESS_KEY, DemoUpstream.SECRET_KEY,
        "random", StrataHarness.BUCKET)) {
      direct = window(fs, min, max);
    }
    assertThat(direct.get(0)).hasSizeGreaterThan(1000);
    strata.assertCacheConsistent();
    strata.network.cut();
    try (FileSystem fs = S3a.fileSystem(strata.endpoint(), TestSigner.HARNESS.accessKey(), TestSigner.HARNESS.secretKey(),
        "random", StrataHarness.BUCKET)) {
      List<double[]> offline = window(fs, min, max);
      assertThat(offline.get(0)).containsExactly(direct.get(0));
      assertThat(offline.get(1)).containsExactly(direct.get(1));
    } finally {
      strata.network.restore();
    }
  }

  /** DEPTH and GR of the rows in [min, max], read with parquet-hadoop's page-index filtering. */
  private static List<double[]> window(FileSystem fs, double min, double max) throws IOException {
    var filter = FilterCompat.get(FilterApi.and(
        FilterApi.gtEq(FilterApi.doubleColumn("DEPTH"), min), FilterApi.ltEq(FilterApi.doubleColumn("DEPTH"), max)));
    ParquetReadOptions options = ParquetReadOptions.builder().withRecordFilter(filter).useStatsFilter(true)
        .useColumnIndexFilter(true).build();
    try (ParquetFileReader reader = ParquetFileReader.open(S3a.input(fs, StrataHarness.BUCKET, KEY), options)) {
      MessageType projection = MessageTypeParser.parseMessageType(
          "message well { required double DEPTH; required double GR; }");
      reader.setRequestedSchema(projection);
      List<Double> depth = new ArrayList<>();
      List<Double> gr = new ArrayList<>();
      PageReadStore group;
      while ((group = reader.readNextFilteredRowGroup()) != null) {
        RecordReader<Group> records = new ColumnIOFactory().getColumnIO(projection)
            .getRecordReader(group, new GroupRecordConverter(projection), filter);
        for (long i = 0; i < group.getRowCount(); i++) {
          Group g = records.read();
          if (g == null || records.shouldSkipCurrentRecord()) {
            continue;
          }
          depth.add(g.getDouble("DEPTH", 0));
          gr.add(g.getDouble("GR", 0));
        }
      }
      return List.of(depth.stream().mapToDouble(Double::doubleValue).toArray(),
          gr.stream().mapToDouble(Double::doubleValue).toArray());
    }
  }
}
