package io.strata.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.proxy.Application;
import io.strata.proxy.demo.DemoUpstream;
import io.strata.proxy.testing.TestSigner;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A cache that cannot write (a full disk) must not fail reads: Strata runs as a child JVM whose
 * file size limit ({@code ulimit -f}, 4 MiB) lets SQLite (and its native library) work but makes every 8 MiB block write
 * fail with EFBIG, as a full disk fails with ENOSPC. Every read is then served from the upstream,
 * whole and byte-exact, and nothing half-written is ever served as a block.
 */
class CacheWriteFailureTest {

  @TempDir Path dir;
  DemoUpstream upstream;
  Process child;

  @AfterEach
  void stop() throws Exception {
    if (child != null) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void blockWritesFailing_readsAreServedWholeFromTheUpstream() throws Exception {
    upstream = DemoUpstream.startInMemory();
    byte[] data = new byte[20 * 1024 * 1024 + 4321];
    new Random(7).nextBytes(data);
    try (S3Client direct = upstream.newClient()) {
      direct.createBucket(b -> b.bucket("logs"));
      direct.putObject(b -> b.bucket("logs").key("big.bin"), RequestBody.fromBytes(data));
    }
    List<String> output = new CopyOnWriteArrayList<>();
    int port = startChild(dir.resolve("cache"), output);

    try (S3Client s3 = client(port)) {
      for (int round = 0; round < 2; round++) {
        ResponseBytes<GetObjectResponse> whole = s3.getObjectAsBytes(b -> b.bucket("logs").key("big.bin"));
        assertThat(whole.asByteArray()).as("whole object, round " + round).isEqualTo(data);
        assertThat(whole.response().sdkHttpResponse().firstMatchingHeader("x-strata-cache")).hasValue("miss");
        byte[] range = s3.getObjectAsBytes(b -> b.bucket("logs").key("big.bin").range("bytes=7000000-9100000"))
            .asByteArray();
        assertThat(range).isEqualTo(Arrays.copyOfRange(data, 7_000_000, 9_100_001));
      }
    }
    assertThat(output).anySatisfy(l -> assertThat(l).contains("caching block").contains("the client is served anyway").contains("File too large"));
    // The last fill goes on after its response ended (to the end of its block): let it finish.
    long deadline = System.nanoTime() + 20_000_000_000L;
    List<Path> leftovers = tempFiles(dir.resolve("cache"));
    while (!leftovers.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      leftovers = tempFiles(dir.resolve("cache"));
    }
    assertThat(leftovers).as("aborted fills leave no temp files").isEmpty();
  }

  private static List<Path> tempFiles(Path cache) throws java.io.IOException {
    try (var files = Files.walk(cache)) {
      return files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".blk.tmp")).toList();
    }
  }

  private int startChild(Path cache, List<String> output) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // HotSpot ignores SIGXFSZ, so a write past the limit fails with EFBIG instead of killing it.
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c",
        "ulimit -f 4096 && exec \"$0\" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m -cp \"$1\" " + Application.class.getName(),
        java, System.getProperty("java.class.path"))
        .directory(dir.toFile())
        .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("STRATA_") || k.startsWith("MICRONAUT_"));
    pb.environment().putAll(Map.of(
        "STRATA_UPSTREAM_ENDPOINT", upstream.endpoint().toString(),
        "STRATA_UPSTREAM_ACCESS_KEY", upstream.accessKey(),
        "STRATA_UPSTREAM_SECRET_KEY", upstream.secretKey(),
        "STRATA_S3_PORT", "0",
        "MICRONAUT_SERVER_PORT", "-1",
        "STRATA_CACHE_DIR", cache.toString(),
        "STRATA_CACHE_BLOCK_SIZE", "8MiB",
        "STRATA_AUTH_ACCESS_KEY", TestSigner.HARNESS.accessKey(),
        "STRATA_AUTH_SECRET_KEY", TestSigner.HARNESS.secretKey()));
    child = pb.start();
    return ChildStrata.awaitS3Port(child, output);
  }

  private static S3Client client(int port) {
    return S3Client.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(TestSigner.HARNESS.accessKey(), TestSigner.HARNESS.secretKey())))
        .build();
  }
}
