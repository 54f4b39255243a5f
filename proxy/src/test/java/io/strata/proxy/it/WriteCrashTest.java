package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.proxy.Application;
import io.strata.proxy.demo.DemoUpstream;
import io.strata.proxy.testing.TestSigner;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Strata as a child JVM, killed with SIGKILL while a client streams PUTs at it, and restarted on
 * the same cache directory, many times. The upstream is unreachable during the rounds, so every
 * acknowledged write lives only in the upload queue (Kafka's "recovery after unclean shutdown"
 * tests, with a process instead of a file).
 *
 * <p>What a crash may do to a write whose response the client never got is open: it may or may
 * not be stored. So the model keeps, per key, the last acknowledged content plus at most one
 * "maybe" write (the one in flight at the kill), and accepts either after the restart.
 */
class WriteCrashTest {

  private static final String BUCKET = "logs";
  private static final int ROUNDS = 20;
  private static final String[] KEYS = {"crash/a.bin", "crash/b.bin", "crash/c d.bin", "crash/deep/e.bin", "crash/f.bin"};

  @TempDir Path dir;
  DemoUpstream upstream;
  TcpFaultProxy network;
  S3Client direct;
  Process child;

  @BeforeEach
  void start() throws Exception {
    upstream = DemoUpstream.startInMemory();
    network = new TcpFaultProxy(upstream.endpoint());
    direct = upstream.newClient();
    direct.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterEach
  void stop() throws Exception {
    if (child != null) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    network.close();
    direct.close();
    upstream.close();
  }

  @Test
  void sigkillDuringPuts_everyAcknowledgedWriteSurvives_andReachesUpstream() throws Exception {
    Random random = new Random(20240611);
    Path cache = dir.resolve("cache");
    /** key -> MD5 of the last acknowledged (or since observed) content. */
    Map<String, String> expected = new HashMap<>();
    Map<String, byte[]> contents = new HashMap<>(); // md5 -> bytes, for diagnosis and GET checks
    int acknowledged = 0;
    int maybes = 0;
    int tempFilesSeen = 0;
    Write maybe = null;
    network.cut(); // nothing is delivered while the rounds run

    for (int round = 0; round < ROUNDS; round++) {
      int port = startChild(cache);
      try (S3Client s3 = client(port)) {
        maybes += resolve(maybe, s3, expected, round);
        // every write acknowledged before the last kill is readable at once after the restart
        for (Map.Entry<String, String> e : expected.entrySet()) {
          byte[] got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(e.getKey())).asByteArray();
          assertThat(md5(got)).as("round %d: GET %s after restart", round, e.getKey()).isEqualTo(e.getValue());
        }
        Writer writer = new Writer(s3, new Random(random.nextLong()), round);
        writer.start();
        Thread.sleep(150 + random.nextInt(450));
        child.destroyForcibly(); // SIGKILL, mid-request most of the time
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        writer.stopAndJoin();
        for (Write w : writer.acked) {
          expected.put(w.key, w.md5);
          contents.put(w.md5, w.bytes);
        }
        acknowledged += writer.acked.size();
        tempFilesSeen += files(cache.resolve("uploads/staging"), ".tmp").size();
        maybe = writer.inFlight;
        if (maybe != null) {
          contents.put(maybe.md5, maybe.bytes);
        }
      }
    }

    // the final, clean start with the network back: the queue drains to the upstream
    network.restore();
    int port = startChild(cache);
    assertThat(files(cache.resolve("uploads/staging"), ".tmp")).as("temporary bodies removed at start").isEmpty();
    try (S3Client s3 = client(port)) {
      maybes += resolve(maybe, s3, expected, ROUNDS);
    }
    awaitUpstream(expected);
    for (Map.Entry<String, String> e : expected.entrySet()) {
      byte[] up = direct.getObjectAsBytes(b -> b.bucket(BUCKET).key(e.getKey())).asByteArray();
      assertThat(md5(up)).as("upstream content of %s", e.getKey()).isEqualTo(e.getValue());
      assertThat(up).isEqualTo(contents.get(e.getValue()));
    }
    try (S3Client s3 = client(port)) {
      for (Map.Entry<String, String> e : expected.entrySet()) {
        assertThat(md5(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(e.getKey())).asByteArray())).isEqualTo(e.getValue());
      }
    }
    awaitNoFiles(cache.resolve("uploads/data"));
    assertThat(files(cache.resolve("uploads/staging"), "")).isEmpty();
    child.destroy();
    assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
    System.out.printf("WriteCrashTest: %d rounds, %d acknowledged PUTs, %d in-flight writes found stored, "
        + "%d temp files left by kills, %d keys%n", ROUNDS, acknowledged, maybes, tempFilesSeen, expected.size());
    assertThat(acknowledged).as("the rounds did real work").isGreaterThan(ROUNDS * 2);
  }

  /**
   * The write in flight at the last kill may or may not have been stored; Strata (offline, so
   * answering from its queue) says which, and either answer is right.
   *
   * @return 1 if it was stored
   */
  private static int resolve(Write maybe, S3Client s3, Map<String, String> expected, int round) {
    if (maybe == null) return 0;
    String seen = md5OrNull(s3, maybe.key);
    String before = expected.get(maybe.key);
    assertThat(seen).as("round %d: %s is the last acknowledged write or the one in flight", round, maybe.key)
        .isIn(before, maybe.md5);
    if (maybe.md5.equals(seen) && !maybe.md5.equals(before)) {
      expected.put(maybe.key, maybe.md5);
      return 1;
    }
    return 0;
  }

  /** One PUT of distinct content. */
  private record Write(String key, byte[] bytes, String md5) {}

  /** Sends PUTs one after another until the server dies or it is told to stop. */
  private static final class Writer extends Thread {
    final List<Write> acked = new ArrayList<>();
    volatile Write inFlight;
    private final S3Client s3;
    private final Random random;
    private final AtomicBoolean stop = new AtomicBoolean();

    Writer(S3Client s3, Random random, int round) {
      super("crash-writer-" + round);
      this.s3 = s3;
      this.random = random;
      setDaemon(true);
    }

    @Override
    public void run() {
      while (!stop.get()) {
        byte[] bytes = new byte[random.nextInt(300 * 1024 + 1)];
        random.nextBytes(bytes);
        Write w = new Write(KEYS[random.nextInt(KEYS.length)], bytes, md5(bytes));
        inFlight = w;
        try {
          s3.putObject(b -> b.bucket(BUCKET).key(w.key), RequestBody.fromBytes(bytes));
        } catch (RuntimeException e) {
          return; // the server is gone: the outcome of w is unknown
        }
        synchronized (acked) {
          acked.add(w);
        }
        inFlight = null;
      }
    }

    void stopAndJoin() throws InterruptedException {
      stop.set(true);
      join(30_000);
      assertThat(isAlive()).as("writer finished").isFalse();
    }
  }

  private int startChild(Path cache) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
            "-cp", System.getProperty("java.class.path"), Application.class.getName())
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("STRATA_") || k.startsWith("MICRONAUT_"));
    pb.environment().putAll(Map.of(
        "STRATA_UPSTREAM_ENDPOINT", network.endpoint().toString(),
        "STRATA_UPSTREAM_ACCESS_KEY", upstream.accessKey(),
        "STRATA_UPSTREAM_SECRET_KEY", upstream.secretKey(),
        "STRATA_UPSTREAM_CONNECT_TIMEOUT", "1s",
        "STRATA_UPSTREAM_PROBE_INTERVAL", "200ms",
        "STRATA_S3_PORT", "0",
        "MICRONAUT_SERVER_PORT", "-1",
        "STRATA_CACHE_DIR", cache.toString(),
        "STRATA_AUTH_ACCESS_KEY", TestSigner.HARNESS.accessKey(),
        "STRATA_AUTH_SECRET_KEY", TestSigner.HARNESS.secretKey()));
    child = pb.start();
    // CopyOnWriteArrayList: the drain thread appends while a failure message may read it
    return ChildStrata.awaitS3Port(child, new CopyOnWriteArrayList<>());
  }

  private static S3Client client(int port) {
    return S3Client.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(TestSigner.HARNESS.accessKey(), TestSigner.HARNESS.secretKey())))
        // a retry could not tell us more than the first attempt: the outcome model needs one try
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  private static String md5OrNull(S3Client s3, String key) {
    try {
      return md5(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray());
    } catch (NoSuchKeyException e) {
      return null;
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      // offline and not in the queue: Strata cannot know whether the upstream has it (503)
      assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(503);
      return null;
    }
  }

  /** Waits until the upstream holds, for every key, the expected content's ETag. */
  private void awaitUpstream(Map<String, String> expected) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    Map<String, String> actual = new HashMap<>();
    while (System.nanoTime() < deadline) {
      actual.clear();
      for (String key : expected.keySet()) {
        try {
          actual.put(key, direct.headObject(b -> b.bucket(BUCKET).key(key)).eTag().replace("\"", ""));
        } catch (NoSuchKeyException e) {
          actual.put(key, null);
        }
      }
      if (actual.equals(expected)) {
        return;
      }
      Thread.sleep(100);
    }
    assertThat(actual).as("upstream ETags after 30 s").isEqualTo(expected);
  }

  private static void awaitNoFiles(Path directory) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!files(directory, "").isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(files(directory, "")).as("files in %s once drained", directory).isEmpty();
  }

  private static List<Path> files(Path directory, String suffix) throws IOException {
    if (!Files.isDirectory(directory)) return List.of();
    try (Stream<Path> s = Files.walk(directory)) {
      return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix)).toList();
    }
  }

  private static String md5(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
