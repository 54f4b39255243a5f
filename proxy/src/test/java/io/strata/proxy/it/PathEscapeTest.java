package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.proxy.demo.DemoUpstream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Keys and buckets that name paths ({@code ../../etc/passwd}, {@code %2e%2e}, absolute paths, NUL,
 * very long names) against Strata in front of a filesystem-backed upstream (s3proxy's
 * {@code filesystem-nio2}, whose buckets are directories): every one is refused with an S3 error,
 * and a snapshot of the whole temp root before and after shows that nothing outside the cache
 * directory and the upstream's bucket directory was created, changed or deleted, and that no
 * response ever carried the bytes of a file outside them.
 */
class PathEscapeTest {

  private static final String CANARY = "CANARY-3f9c2e: must never be served";
  /** What Strata may create under its cache directory: block files, databases, queued bodies. */
  private static final Pattern CACHE_FILES = Pattern.compile(
      "strata\\.(db(-wal|-shm)?|lock)|clean-shutdown|blocks(/[0-9a-f]{2}(/[0-9a-f]{2}(/[0-9a-f]{64}\\.\\d+\\.blk)?)?)?"
          + "|tmp(/[0-9a-f]{64}\\.\\d+\\.blk\\.tmp)?"
          + "|uploads(/(uploads\\.db(-wal|-shm)?|queue\\.lock|staging(/[0-9a-f-]{36}\\.tmp)?|data(/[0-9a-f-]{36}\\.body)?"
          + "|parts(/[^/]+(/\\d+\\.[0-9a-f-]{36}\\.part)?)?))?");

  @TempDir static Path root;
  static Path cacheDir;
  static Path bucketDir;
  static DemoUpstream filesystem;
  static StrataHarness strata;
  private Map<String, String> before;

  @BeforeAll
  static void start() throws Exception {
    // root/secret.txt, root/etc/passwd and root/upstream/secret.txt are the files to escape to.
    Files.writeString(root.resolve("secret.txt"), CANARY);
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), CANARY);
    Path upstreamDir = root.resolve("upstream");
    Files.createDirectories(upstreamDir);
    Files.writeString(upstreamDir.resolve("secret.txt"), CANARY);
    filesystem = DemoUpstream.start(upstreamDir);
    try (S3Client c = filesystem.newClient()) {
      c.createBucket(b -> b.bucket(StrataHarness.BUCKET));
      c.putObject(b -> b.bucket(StrataHarness.BUCKET).key("ok.txt"), RequestBody.fromString("ok"));
    }
    bucketDir = upstreamDir.resolve(StrataHarness.BUCKET);
    cacheDir = root.resolve("cache");
    strata = new StrataHarness(cacheDir, Map.of(
        "strata.auth.anonymous", "true",
        "strata.upstream.endpoint", filesystem.endpoint().toString(),
        "strata.upstream.access-key", filesystem.accessKey(),
        "strata.upstream.secret-key", filesystem.secretKey(),
        // writes reach the filesystem before the answer, so the snapshot after sees them
        "strata.uploads.mode", "write-through"));
  }

  @AfterAll
  static void stop() throws Exception {
    strata.close();
    filesystem.close();
  }

  @BeforeEach
  void snapshotBefore() throws Exception {
    before = outsideStrata();
  }

  @AfterEach
  void nothingEscaped() throws Exception {
    assertThat(outsideStrata()).as("files outside the cache and the bucket directory").isEqualTo(before);
    try (Stream<Path> files = Files.walk(cacheDir)) {
      for (Path p : files.filter(p -> !p.equals(cacheDir)).toList()) {
        String relative = cacheDir.relativize(p).toString().replace('\\', '/');
        assertThat(relative).as("a file Strata created").matches(CACHE_FILES);
      }
    }
    try (Stream<Path> files = Files.walk(bucketDir)) {
      for (Path p : files.toList()) {
        assertThat(p.toRealPath().startsWith(bucketDir.toRealPath())).as(p.toString()).isTrue();
      }
    }
    // still serving, from the same files
    RawHttp.Response ok = RawHttp.send(strata.endpoint(), "GET", "/logs/ok.txt", "127.0.0.1");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.text()).isEqualTo("ok");
  }

  @Test
  void get_traversalKeys_areRefused() throws Exception {
    for (String path : List.of("/logs/../../etc/passwd", "/logs/..%2F..%2Fetc%2Fpasswd", "/logs/%2e%2e/secret.txt",
        "/logs/%2E%2E%2F%2E%2E%2Fsecret.txt", "/logs/a/../../secret.txt", "/logs/./ok.txt", "/logs/..%5C..%5Csecret.txt",
        "/logs//etc/passwd", "/logs/%2Fetc%2Fpasswd", "/logs/ok.txt%00.jpg", "/logs/..",
        "/logs/" + root.resolve("secret.txt"))) {
      for (String method : List.of("GET", "HEAD")) {
        assertRefused(method, path, 400, "InvalidArgument");
      }
    }
  }

  @Test
  void traversalBuckets_areRefused() throws Exception {
    for (String path : List.of("/../etc/passwd", "/..%2F..%2Fetc/passwd", "/%2e%2e/secret.txt", "/./secret.txt",
        "/upstream%2Fsecret.txt/x", "/..", "/etc%00/passwd", "//etc/passwd")) {
      assertRefused("GET", path, 400, "InvalidBucketName");
      assertRefused("PUT", path, 400, "InvalidBucketName");
    }
  }

  @Test
  void put_traversalKeys_areRefused_andWriteNothing() throws Exception {
    for (String path : List.of("/logs/../../secret.txt", "/logs/..%2F..%2Fsecret.txt", "/logs/%2e%2e/%2e%2e/etc/passwd",
        "/logs/..%2F..%2Fetc%2Fnew-file", "/logs/%2Ftmp%2Fstrata-escape", "/logs/x%00y", "/logs/a/./b")) {
      assertRefused("PUT", path, 400, "InvalidArgument");
    }
  }

  @Test
  void delete_traversalKeys_areRefused() throws Exception {
    for (String path : List.of("/logs/../../secret.txt", "/logs/..%2Fsecret.txt", "/logs/%2e%2e/upstream/secret.txt",
        "/logs/%2Fetc%2Fpasswd", "/logs/a%00")) {
      assertRefused("DELETE", path, 400, "InvalidArgument");
    }
  }

  @Test
  void multipart_traversalKeysAndUploadIds_areRefused() throws Exception {
    assertRefused("POST", "/logs/..%2F..%2Fsecret.txt?uploads", 400, "InvalidArgument");
    assertRefused("POST", "/logs/%2e%2e/x?uploads", 400, "InvalidArgument");
    // upload ids are looked up, never used as directory names before they are known
    for (String id : List.of("..%2F..%2F..%2Fetc", "../../x", "%2Ftmp%2Fx")) {
      assertRefused("PUT", "/logs/k?partNumber=1&uploadId=" + id, 404, "NoSuchUpload");
      assertRefused("GET", "/logs/k?uploadId=" + id, 404, "NoSuchUpload");
      assertRefused("DELETE", "/logs/k?uploadId=" + id, 404, "NoSuchUpload");
    }
  }

  @Test
  void deleteObjects_refusesHostileKeysOneByOne() throws Exception {
    String body = "<Delete><Object><Key>../../secret.txt</Key></Object><Object><Key>/etc/passwd</Key></Object>"
        + "<Object><Key>a/./b</Key></Object><Object><Key>gone.txt</Key></Object></Delete>";
    RawHttp.Response r = RawHttp.exchange(strata.endpoint(), ("POST /logs?delete HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Connection: close\r\nContent-Type: application/xml\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
        .getBytes(StandardCharsets.UTF_8), false);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text())
        .contains("<Deleted><Key>gone.txt</Key></Deleted>")
        .contains("<Error><Key>../../secret.txt</Key><Code>InvalidArgument</Code>")
        .contains("<Error><Key>/etc/passwd</Key><Code>InvalidArgument</Code>")
        .contains("<Error><Key>a/./b</Key><Code>InvalidArgument</Code>")
        .doesNotContain(CANARY);
  }

  @Test
  void veryLongNames_areRefused() throws Exception {
    assertRefused("GET", "/logs/" + "k".repeat(1025), 400, "KeyTooLongError");
    assertRefused("PUT", "/logs/" + "%C3%A9".repeat(600), 400, "KeyTooLongError");
    assertRefused("GET", "/logs/" + "a/".repeat(2000) + "x", 400, "KeyTooLongError");
    assertRefused("GET", "/logs/" + "../".repeat(300), 400, "InvalidArgument");
    assertRefused("GET", "/logs/" + "k".repeat(10_000), 414, "RequestURITooLong");
    assertRefused("GET", "/" + "b".repeat(64) + "/k", 400, "InvalidBucketName");
  }

  @Test
  void listings_passTraversalPrefixesOnAsPlainStrings() throws Exception {
    RawHttp.Response r = RawHttp.send(strata.endpoint(), "GET",
        "/logs?list-type=2&prefix=..%2F..%2F&start-after=%2Fetc%2Fpasswd&delimiter=..", "127.0.0.1");
    // Strata passes them on as strings; s3proxy's filesystem store refuses '..' itself (400), and
    // either way nothing outside the bucket is listed
    assertThat(r.status()).as(r.text()).isIn(200, 400);
    assertThat(r.text()).doesNotContain("secret.txt").doesNotContain("passwd").doesNotContain(CANARY);
    RawHttp.Response plain = RawHttp.send(strata.endpoint(), "GET", "/logs?list-type=2&prefix=etc%2F", "127.0.0.1");
    assertThat(plain.status()).isEqualTo(200);
    assertThat(plain.text()).contains("<KeyCount>0</KeyCount>");
    assertRefused("GET", "/logs?list-type=2&prefix=a%00", 400, "InvalidArgument");
  }

  /** Sends {@code method path} (a PUT with a 5-byte body) and expects the S3 error {@code status code}. */
  private static void assertRefused(String method, String path, int status, String code) throws IOException {
    String body = "PUT".equals(method) ? "12345" : "";
    String request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    RawExchange.Outcome outcome = RawExchange.send(
        strata.endpoint(), request.getBytes(StandardCharsets.ISO_8859_1),
        Duration.ofSeconds(20));
    assertThat(outcome).as("%s %s", method, path).isInstanceOfSatisfying(RawExchange.Answer.class, a -> {
      assertThat(a.status()).as("%s %s: %s", method, path, a.text()).isEqualTo(status);
      if (!"HEAD".equals(method)) {
        assertThat(a.text()).as("%s %s", method, path).contains("<Code>" + code + "</Code>").doesNotContain(CANARY);
      }
    });
  }

  /** Every file under the temp root outside the cache and bucket directories: path to size and SHA-256. */
  private static Map<String, String> outsideStrata() throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.toList()) {
        if (p.startsWith(cacheDir) || p.startsWith(bucketDir)) {
          continue;
        }
        String relative = root.relativize(p).toString();
        if (Files.isDirectory(p)) {
          files.put(relative + "/", "dir");
        } else {
          byte[] bytes = Files.readAllBytes(p);
          files.put(relative, bytes.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
              + " " + Files.getLastModifiedTime(p));
        }
      }
    }
    return files;
  }
}
