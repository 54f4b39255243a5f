package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.abort;

import io.strata.proxy.demo.WellLogDataset;
import io.strata.proxy.testing.TestSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DuckDB itself, through its JDBC driver and its own S3 client (the httpfs extension), queries a
 * well-log Parquet file through Strata with {@code read_parquet('s3://…')}, online and then with
 * the upstream cut off, and must get the answers it gets from the same file on local disk.
 *
 * <p>The JDBC driver has Parquet built in but not httpfs, which DuckDB downloads from its
 * extension repository on {@code INSTALL httpfs} (into {@code ~/.duckdb/extensions}, its default;
 * an already installed httpfs of the same DuckDB version is used without the network). Where that
 * fails, as on machines that reach only Maven Central, the S3 test is skipped with DuckDB's own
 * error message; {@link DuckDbReadPatternTest} replays DuckDB's documented read pattern instead.
 * The local-disk part always runs: it is the reference the S3 answers are compared with, and
 * checks that DuckDB reads the demo writer's Parquet at all, but it is not itself a test of Strata.
 */
class DuckDbJdbcTest {

  private static final int ROWS = 120_000;
  private static final int ROWS_PER_GROUP = 20_000;
  /** A depth interval inside every demo well (they start at 780–1,010 m, 1.27 cm a row). */
  private static final String DEPTH_FILTER = "DEPTH BETWEEN 1200 AND 1300";

  @TempDir static Path dir;
  static StrataHarness strata;
  static String key;
  static Path localFile;

  @BeforeAll
  static void start() throws Exception {
    strata = new StrataHarness(dir.resolve("strata"));
    WellLogDataset dataset = WellLogDataset.standard().withRows(ROWS, ROWS_PER_GROUP);
    dataset.seed(strata.direct, line -> {});
    key = dataset.keys().stream().filter(k -> k.endsWith(".parquet")).findFirst().orElseThrow();
    localFile = dir.resolve("local.parquet");
    Files.write(localFile,
        strata.direct.getObjectAsBytes(b -> b.bucket(WellLogDataset.BUCKET).key(key)).asByteArray());
  }

  @AfterAll
  static void stop() throws Exception {
    strata.close();
  }

  @Test
  void localReference_readsTheDemoWritersParquet() throws Exception {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      Answers local = answers(duck, localFile.toString());
      assertThat(local.rows()).isEqualTo(ROWS);
      assertThat(local.filteredRows()).isBetween(1L, (long) ROWS - 1);
      assertThat(local.filteredMinDepth()).isGreaterThanOrEqualTo(1200.0);
      assertThat(local.filteredMaxDepth()).isLessThanOrEqualTo(1300.0);
      assertThat(columns(duck, localFile.toString()))
          .containsExactly("DEPTH", "GR", "RHOB", "NPHI", "DT", "RT", "CALI", "SP", "PEF");
      assertThat(single(duck, "SELECT count(DISTINCT row_group_id) FROM parquet_metadata('"
          + localFile + "')")).isEqualTo(Integer.toString(ROWS / ROWS_PER_GROUP));
    }
  }

  @Test
  void readParquet_throughStrata_answersAsLocalDisk_onlineThenOffline() throws Exception {
    Answers expected;
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      expected = answers(duck, localFile.toString());
    }
    String url = "s3://" + WellLogDataset.BUCKET + "/" + key;

    try (Connection duck = openWithS3ThroughStrata()) {
      assertSameAnswers(answers(duck, url), expected);
    }

    strata.assertCacheConsistent(); // a read ends before its last block is committed: let fills finish
    strata.network.cut();
    strata.network.clearRequests();
    try {
      // A new in-memory database: DuckDB keeps its own cache of remote file bytes per database.
      try (Connection duck = openWithS3ThroughStrata()) {
        assertSameAnswers(answers(duck, url), expected);
      }
      assertThat(strata.network.requests()).as("answered from Strata's cache").isEmpty();
    } finally {
      strata.network.restore();
    }
  }

  /**
   * A fresh in-memory DuckDB with httpfs loaded and an S3 secret for Strata's endpoint, or the
   * test is aborted (skipped) with DuckDB's reason when httpfs cannot be installed here.
   */
  private static Connection openWithS3ThroughStrata() throws SQLException {
    Connection duck = DriverManager.getConnection("jdbc:duckdb:");
    try {
      // A failed statement closes the driver's Statement, hence one per command.
      execute(duck, "INSTALL httpfs");
      execute(duck, "LOAD httpfs");
    } catch (SQLException e) {
      String version = single(duck, "SELECT version()");
      duck.close();
      abort("DuckDB " + version + " cannot load its httpfs extension, so it cannot read s3:// here: "
          + e.getMessage());
    }
    execute(duck, "CREATE SECRET strata (TYPE s3, KEY_ID '" + TestSigner.HARNESS.accessKey()
        + "', SECRET '" + TestSigner.HARNESS.secretKey() + "', ENDPOINT '127.0.0.1:"
        + strata.endpoint().getPort() + "', URL_STYLE 'path', USE_SSL false, REGION 'us-east-1')");
    return duck;
  }

  /** What the test asks of a file: a full count, an average over a curve, a depth-filtered read. */
  record Answers(long rows, double meanGammaRay, long filteredRows, double filteredMeanDensity,
      double filteredMinDepth, double filteredMaxDepth) {}

  private static Answers answers(Connection duck, String source) throws SQLException {
    String from = " FROM read_parquet('" + source + "')";
    try (Statement s = duck.createStatement();
        ResultSet all = s.executeQuery("SELECT count(*), avg(GR)" + from)) {
      all.next();
      long rows = all.getLong(1);
      double meanGammaRay = all.getDouble(2);
      try (Statement f = duck.createStatement();
          ResultSet filtered = f.executeQuery(
              "SELECT count(*), avg(RHOB), min(DEPTH), max(DEPTH)" + from + " WHERE " + DEPTH_FILTER)) {
        filtered.next();
        return new Answers(rows, meanGammaRay, filtered.getLong(1), filtered.getDouble(2),
            filtered.getDouble(3), filtered.getDouble(4));
      }
    }
  }

  private static void assertSameAnswers(Answers actual, Answers expected) {
    assertThat(actual.rows()).isEqualTo(expected.rows());
    assertThat(actual.filteredRows()).isEqualTo(expected.filteredRows());
    assertThat(actual.filteredMinDepth()).isEqualTo(expected.filteredMinDepth());
    assertThat(actual.filteredMaxDepth()).isEqualTo(expected.filteredMaxDepth());
    // Averages are summed by parallel threads in no fixed order: equal up to rounding.
    assertThat(actual.meanGammaRay())
        .isCloseTo(expected.meanGammaRay(), within(Math.abs(expected.meanGammaRay()) * 1e-12));
    assertThat(actual.filteredMeanDensity())
        .isCloseTo(expected.filteredMeanDensity(), within(Math.abs(expected.filteredMeanDensity()) * 1e-12));
  }

  private static List<String> columns(Connection duck, String source) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement s = duck.createStatement();
        ResultSet r = s.executeQuery("SELECT name FROM parquet_schema('" + source + "') WHERE num_children IS NULL")) {
      while (r.next()) {
        names.add(r.getString(1));
      }
    }
    return names;
  }

  /** The first column of the first row, as text. */
  private static String single(Connection duck, String sql) throws SQLException {
    try (Statement s = duck.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }

  private static void execute(Connection duck, String sql) throws SQLException {
    try (Statement s = duck.createStatement()) {
      s.execute(sql);
    }
  }
}
