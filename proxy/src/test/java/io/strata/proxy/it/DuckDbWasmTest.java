package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.strata.proxy.demo.WellLogDataset;
import io.strata.proxy.testing.TestSigner;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * DuckDB-WASM 1.28.0 (DuckDB 0.9.1, the one DuckDB that reads S3 on these machines) in headless
 * Chromium, querying a well-log Parquet file on Strata from a page of another origin: count, the
 * average of a curve, and both over a DEPTH interval, compared with the same numbers computed
 * here from the file's rows. Then the upstream goes away and a fresh browser (no HTTP cache, no
 * DuckDB state) asks again, and again after Strata restarts: every byte now comes from Strata's
 * cache, which with 64 KiB blocks holds only the parts of the file DuckDB read online.
 *
 * <p>Within one browser DuckDB-WASM keeps the footer and the pages it read in its own buffers, so
 * the three queries together make about two dozen requests, each read about once.
 *
 * <p>The page and DuckDB-WASM's npm packages live in {@code src/test/duckdb-wasm}; the build
 * copies them to {@code target/duckdb-wasm} and runs {@code npm ci} there (proxy/pom.xml). A
 * recording TCP hop between the browser and Strata shows what DuckDB sends: CORS preflights,
 * HEAD, then ranged GETs.
 */
class DuckDbWasmTest {

  private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
  private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  private static final Path PAGE_DIR = Paths.get("target", "duckdb-wasm");
  private static final Path WASM = PAGE_DIR.resolve("node_modules/@duckdb/duckdb-wasm/dist/duckdb-eh.wasm");
  /** Four row groups, about 4 MB: DuckDB reads it in a couple of dozen ranges. */
  private static final int ROWS = 60_000;
  private static final int ROWS_PER_GROUP = 15_000;
  /** Generous: wasm start-up and one-at-a-time ranges on two shared cores. */
  private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(3);

  @TempDir Path dir;
  private StaticFileServer page;
  private StrataHarness strata;
  /** Between the browser and Strata: records every request DuckDB makes. */
  private TcpFaultProxy browserSide;
  private String key;
  private Expected expected;
  private WebDriver browser;

  // Per test, not per class: an assumption failing in @BeforeAll leaves Surefire reporting no
  // test at all instead of a skipped one with its reason.
  @BeforeEach
  void start() throws Exception {
    assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
        "DuckDB-WASM test skipped: " + CHROMIUM + " and " + CHROMEDRIVER + " are needed"
            + " (apt-get install -y chromium chromium-driver)");
    assumeTrue(Files.isRegularFile(WASM),
        "DuckDB-WASM test skipped: " + WASM + " is missing (npm was not on the PATH when the build"
            + " ran `npm ci` in " + PAGE_DIR + ", or -Dduckdb-wasm.skip=true)");
    page = new StaticFileServer(PAGE_DIR);
    // The smallest blocks, so the cache holds the parts DuckDB read and not the whole file.
    strata = new StrataHarness(dir, Map.of("strata.s3.cors.allowed-origins", page.origin(),
        "strata.cache.block-size", "64KiB"));
    WellLogDataset dataset = WellLogDataset.standard().withRows(ROWS, ROWS_PER_GROUP);
    dataset.seed(strata.direct, line -> {});
    key = dataset.keys().stream().filter(k -> k.endsWith("logs.parquet")).findFirst().orElseThrow();
    expected = Expected.of(download(key));
    browserSide = new TcpFaultProxy(strata.endpoint());
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) browser.quit();
    if (browserSide != null) browserSide.close();
    if (strata != null) strata.close();
    if (page != null) page.close();
  }

  @Test
  void queries_online_offline_andOfflineAfterARestart_giveTheFileSNumbers() throws Exception {
    List<Map<String, Object>> online = query();
    assertReadThroughStrata("online");

    strata.assertCacheConsistent(); // fills finish after their client has its bytes
    long cached = strata.cache().stats().bytes();
    System.out.println("DuckDB-WASM online: " + cached + " of " + expected.fileBytes() + " bytes cached");
    assertThat(cached).as("only what DuckDB read is cached").isLessThan(expected.fileBytes());
    strata.network.cut();
    try {
      // A fresh browser: no HTTP cache, no DuckDB buffers, so every read reaches Strata again.
      assertThat(query()).as("the same numbers offline").isEqualTo(online);
      assertReadThroughStrata("offline");

      // A field laptop rebooted without network: the cache on disk still answers.
      strata.stopStrata();
      strata.startStrata();
      browserSide.close();
      browserSide = new TcpFaultProxy(strata.endpoint());
      assertThat(query()).as("the same numbers offline after a restart").isEqualTo(online);
      assertReadThroughStrata("offline after a restart");
    } finally {
      strata.network.restore();
    }
  }

  /**
   * What the browser sent Strata in the last run: a CORS preflight (the page is cross-origin),
   * HEAD for the size, ranged GETs of the file. The exact ranges vary from run to run, as
   * DuckDB-WASM's read-ahead grows with sequential reads and depends on what its buffers still
   * hold, so they are printed, not compared.
   */
  private void assertReadThroughStrata(String phase) {
    List<String> requests = browserSide.requests();
    System.out.println("DuckDB-WASM " + phase + ", " + requests.size() + " requests: " + requests);
    String object = "/" + WellLogDataset.BUCKET + "/" + key;
    assertThat(requests).as(phase + ": the preflight of a cross-origin page")
        .anyMatch(r -> r.startsWith("OPTIONS " + object));
    assertThat(requests).as(phase + ": HEAD for the size").anyMatch(r -> r.startsWith("HEAD " + object));
    assertThat(requests).as(phase + ": ranges of the file")
        .anyMatch(r -> r.startsWith("GET " + object + " range=bytes="));
  }

  /**
   * Opens the page in a new browser and runs the three queries; one result map per query, each
   * checked against the file's numbers. Requests recorded before are forgotten.
   */
  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> query() {
    if (browser != null) browser.quit();
    browserSide.clearRequests();
    browser = newBrowser();
    browser.get(page.uri("/index.html?endpoint=" + encode(browserSide.endpoint().toString())
        + "&region=us-east-1&key=" + encode(TestSigner.HARNESS.accessKey())
        + "&secret=" + encode(TestSigner.HARNESS.secretKey())).toString());
    String from = "FROM read_parquet('s3://" + WellLogDataset.BUCKET + "/" + key + "')";
    List<String> sqls = List.of(
        "SELECT count(*) " + from,
        "SELECT avg(GR) " + from,
        String.format(Locale.ROOT, "SELECT count(*), avg(GR) %s WHERE DEPTH BETWEEN %s AND %s",
            from, expected.depthFrom(), expected.depthTo()));
    Object results = ((JavascriptExecutor) browser).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "window.duckdbQueries(arguments[0]).then(done, e => done([{error: String(e)}]));",
        sqls);
    List<Map<String, Object>> answers = (List<Map<String, Object>>) results;
    assertResults(answers);
    return answers;
  }

  private void assertResults(List<Map<String, Object>> results) {
    assertThat(results).as("one result per query").hasSize(3);
    for (Map<String, Object> r : results) {
      assertThat(r).as("DuckDB answered without error").doesNotContainKey("error").containsKey("rows");
    }
    assertThat(number(results.get(0), 0)).isEqualTo(expected.rows());
    assertThat(number(results.get(1), 0)).isCloseTo(expected.averageGr(), within(1e-9 * expected.averageGr()));
    assertThat(number(results.get(2), 0)).isEqualTo(expected.rowsInInterval());
    assertThat(number(results.get(2), 1))
        .isCloseTo(expected.averageGrInInterval(), within(1e-9 * expected.averageGrInInterval()));
  }

  @SuppressWarnings("unchecked")
  private static double number(Map<String, Object> result, int column) {
    List<List<Object>> rows = (List<List<Object>>) result.get("rows");
    assertThat(rows).as("one row").hasSize(1);
    return ((Number) rows.get(0).get(column)).doubleValue();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private WebDriver newBrowser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(QUERY_TIMEOUT);
    return driver;
  }

  private Path download(String key) throws Exception {
    Path file = dir.resolve("expected.parquet");
    Files.write(file, strata.direct.getObjectAsBytes(b -> b.bucket(WellLogDataset.BUCKET).key(key)).asByteArray());
    return file;
  }

  /**
   * The answers, from the file's own rows read with parquet-hadoop; the DEPTH interval runs from
   * the middle of one sample gap to the middle of another, so no row sits on a bound.
   */
  record Expected(long fileBytes, double rows, double averageGr, double depthFrom, double depthTo,
      double rowsInInterval, double averageGrInInterval) {

    static Expected of(Path file) throws Exception {
      List<double[]> depthAndGr = new ArrayList<>();
      try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
          new org.apache.hadoop.fs.Path(file.toUri())).withConf(new Configuration()).build()) {
        for (Group row = reader.read(); row != null; row = reader.read()) {
          depthAndGr.add(new double[] {row.getDouble("DEPTH", 0), row.getDouble("GR", 0)});
        }
      }
      int n = depthAndGr.size();
      // across a row-group boundary, so DuckDB reads parts of two groups
      int first = n / 5;
      int last = ROWS_PER_GROUP + n / 10;
      double from = (depthAndGr.get(first - 1)[0] + depthAndGr.get(first)[0]) / 2;
      double to = (depthAndGr.get(last)[0] + depthAndGr.get(last + 1)[0]) / 2;
      double sum = 0;
      double sumIn = 0;
      int in = 0;
      for (double[] row : depthAndGr) {
        sum += row[1];
        if (row[0] >= from && row[0] <= to) {
          sumIn += row[1];
          in++;
        }
      }
      return new Expected(Files.size(file), n, sum / n, from, to, in, sumIn / in);
    }
  }
}
