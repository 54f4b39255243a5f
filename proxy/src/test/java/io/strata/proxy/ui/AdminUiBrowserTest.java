package io.strata.proxy.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.strata.proxy.it.BrowserHarness;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The admin dashboard in a real Chromium (Debian's {@code chromium} through
 * {@code /usr/bin/chromedriver}, so Selenium downloads nothing), watching Strata change under it:
 * reads fill the cache bar and block maps, the upstream going away shows the offline banner, a
 * write made offline waits in the queue and leaves it when the upstream returns, and a pin's
 * readiness bar climbs to 100 %. Screenshots land in {@code target/ui-screenshots/}.
 *
 * <p>Steps that need {@code GET /api/status} or {@code GET /api/objects} run only when the server
 * has them, so this test also runs against a Strata without them (and says what it skipped).
 */
class AdminUiBrowserTest {

  private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
  private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  private static final Path SCREENSHOTS = Paths.get("target", "ui-screenshots");
  /** Generous: two shared cores, polling every 2 s, and Strata noticing the network. */
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int BLOCK = 64 << 10;

  @TempDir Path dir;
  private BrowserHarness strata;
  private WebDriver browser;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
        "browser tests skipped: " + CHROMIUM + " and " + CHROMEDRIVER + " are needed"
            + " (apt-get install -y chromium chromium-driver)");
    strata = new BrowserHarness(dir, Map.of("strata.cache.block-size", "64KiB", "strata.cache.max-size", "8MiB"));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        "--window-size=1366,1100"); // a laptop screen, tall enough to show every panel
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) browser.quit();
    if (strata != null) strata.close();
  }

  @Test
  void dashboard_followsReads_offline_queuedWrites_andPins() throws Exception {
    boolean statusApi = exists("/api/status");
    boolean objectsApi = exists("/api/objects");
    strata.putUpstream("wells/north/gr.bin", bytes(1, 12 * BLOCK));
    strata.putUpstream("wells/north/rhob.bin", bytes(2, 9 * BLOCK));
    strata.putUpstream("wells/south/dt.bin", bytes(3, 6 * BLOCK));
    strata.putUpstream("pinned/survey.bin", bytes(4, 10 * BLOCK));

    browser.get(strata.adminUrl().toString());
    assertThat(browser.getTitle()).isEqualTo("Strata admin");
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.until(b -> polls() >= 1);
    long cacheBefore = statusApi ? cacheBytes() : 0;

    // Reads through Strata: the cache bar grows and each object's block map fills where it was read
    strata.client().getObjectAsBytes(r -> r.bucket(BrowserHarness.BUCKET).key("wells/north/gr.bin")
        .range("bytes=0-" + (4 * BLOCK - 1)));
    strata.client().getObjectAsBytes(r -> r.bucket(BrowserHarness.BUCKET).key("wells/north/rhob.bin")
        .range("bytes=" + (6 * BLOCK) + "-"));
    strata.client().getObjectAsBytes(r -> r.bucket(BrowserHarness.BUCKET).key("wells/south/dt.bin"));
    if (statusApi) {
      wait.until(b -> cacheBytes() > cacheBefore);
      wait.withMessage("the banner says online").until(b -> "online".equals(banner().getAttribute("data-state")));
    } else {
      unverified("cache bar grows after a read, online banner (no GET /api/status)");
    }
    if (objectsApi) {
      wait.withMessage("block map of gr.bin shows 4 cached blocks")
          .until(b -> cachedBlocks("wells/north/gr.bin") == 4);
      // 12 blocks' worth of bytes are 9 blocks: 8 aligned ones and the end-anchored 256 KiB tail
      assertThat(blockMap("wells/north/gr.bin").getAttribute("data-blocks"))
          .isEqualTo(Integer.toString(blocks(12 * BLOCK)));
      wait.until(b -> cachedBlocks("wells/south/dt.bin") == blocks(6 * BLOCK));
    } else {
      unverified("block maps of read objects (no GET /api/objects)");
    }
    screenshot("1-after-reads");

    // The network goes; a read of something not cached makes Strata notice at once
    strata.cutNetwork();
    try {
      strata.client().getObjectAsBytes(r -> r.bucket(BrowserHarness.BUCKET).key("pinned/survey.bin"));
    } catch (S3Exception | software.amazon.awssdk.core.exception.SdkClientException expected) {
      // 503 from Strata: the upstream is unreachable and nothing of the object is cached
    }
    wait.withMessage("Strata notices it is offline").until(b -> !strata.online());
    if (statusApi) {
      wait.withMessage("the banner says offline").until(b -> "offline".equals(banner().getAttribute("data-state")));
      assertThat(banner().getText()).startsWith("Offline");
    } else {
      unverified("offline banner (no GET /api/status)");
    }

    // A write while offline waits in the upload queue
    strata.client().putObject(r -> r.bucket(BrowserHarness.BUCKET).key("notes/offline.txt"),
        RequestBody.fromString("written in the field"));
    wait.withMessage("the queued write shows as pending")
        .until(b -> !b.findElements(By.cssSelector("#uploads-table tr[data-key='notes/offline.txt'][data-state='pending']")).isEmpty());
    screenshot("2-offline-write-pending");

    // The network returns: the write is delivered and leaves the queue
    strata.restoreNetwork();
    wait.withMessage("the queue empties").until(b -> b.findElements(By.cssSelector("#uploads-table tr")).isEmpty()
        && text("uploads-summary").startsWith("Nothing waiting"));
    if (statusApi) {
      wait.withMessage("the banner says online again").until(b -> "online".equals(banner().getAttribute("data-state")));
    }

    // A pin added through the API: its readiness bar climbs to 100 %
    HttpResponse<String> pinned = http.send(HttpRequest.newBuilder(strata.adminUrl().resolve("/api/pins"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"bucket\":\"logs\",\"prefix\":\"pinned/\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(pinned.statusCode()).as(pinned.body()).isEqualTo(201);
    WebElement bar = wait.withMessage("the pin shows a progress bar")
        .until(b -> b.findElements(By.cssSelector("#pins-list .progress")).stream().findFirst().orElse(null));
    assertThat(bar.getAttribute("role")).isEqualTo("progressbar");
    if (!"100".equals(bar.getAttribute("aria-valuenow"))) {
      // a pin made online is fetched by the next sync; the dashboard's own button runs one now
      browser.findElement(By.id("sync-now")).click();
    }
    wait.withMessage("the pin's readiness reaches 100 %").until(b ->
        "100".equals(b.findElement(By.cssSelector("#pins-list .progress")).getAttribute("aria-valuenow")));
    if (objectsApi) {
      wait.until(b -> cachedBlocks("pinned/survey.bin") == blocks(10 * BLOCK));
    }
    screenshot("3-dashboard");
  }

  private boolean exists(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(strata.adminUrl().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200;
  }

  private static void unverified(String what) {
    System.out.println("AdminUiBrowserTest: not verified here: " + what);
  }

  private int polls() {
    String n = browser.findElement(By.tagName("body")).getAttribute("data-polls");
    return n == null ? 0 : Integer.parseInt(n);
  }

  private WebElement banner() {
    return browser.findElement(By.id("banner"));
  }

  private String text(String id) {
    List<WebElement> found = browser.findElements(By.id(id));
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  private long cacheBytes() {
    List<WebElement> bar = browser.findElements(By.id("cache-bar"));
    String bytes = bar.isEmpty() ? null : bar.get(0).getAttribute("data-bytes");
    return bytes == null ? -1 : Long.parseLong(bytes);
  }

  private WebElement blockMap(String key) {
    return browser.findElement(By.cssSelector("#objects-table tr[data-key='" + key + "'] svg.blockmap"));
  }

  private int cachedBlocks(String key) {
    List<WebElement> maps = browser.findElements(By.cssSelector("#objects-table tr[data-key='" + key + "'] svg.blockmap"));
    return maps.isEmpty() ? -1 : Integer.parseInt(maps.get(0).getAttribute("data-cached-blocks"));
  }

  private void screenshot(String name) throws IOException {
    File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static byte[] bytes(int seed, int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) seed);
    for (int i = 0; i < size; i += 997) b[i] = (byte) (i * 31 + seed);
    return b;
  }

  /** How many blocks an object of {@code size} bytes has (aligned blocks and the end-anchored tail). */
  private static int blocks(long size) {
    return io.strata.cache.BlockLayout.of(size, BLOCK, io.strata.cache.CacheConfig.DEFAULT_MIN_TAIL_SIZE).blockCount();
  }
}
