package io.strata.proxy.it;

import io.micronaut.context.ApplicationContext;
import io.strata.cache.BlockCache;
import io.strata.proxy.demo.DemoUpstream;
import io.strata.proxy.s3.S3Server;
import io.strata.proxy.testing.TestSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real deployment on loopback: an in-process S3 server (s3proxy) as the upstream, a TCP
 * forwarder in front of it that tests can cut (the network going away), and Strata itself
 * started from its application context on a free port.
 */
final class StrataHarness implements AutoCloseable {

  static final String BUCKET = "logs";

  final DemoUpstream upstream;
  final TcpFaultProxy network;
  final S3Client direct;
  final Path cacheDir;
  private final Map<String, Object> overrides;
  /** Whether Strata reaches the upstream through {@link #network} (false only for benchmarks). */
  private final boolean throughNetwork;
  private ApplicationContext strata;
  private S3Client client;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  StrataHarness(Path cacheDir, Map<String, Object> overrides) throws IOException {
    this(cacheDir, overrides, true);
  }

  /**
   * @param throughNetwork false connects Strata straight to the upstream, without the fault proxy's
   *     extra hop, so latency comparisons with direct reads are fair
   */
  StrataHarness(Path cacheDir, Map<String, Object> overrides, boolean throughNetwork) throws IOException {
    this.cacheDir = cacheDir;
    this.overrides = overrides;
    this.throughNetwork = throughNetwork;
    this.upstream = DemoUpstream.startInMemory();
    this.network = new TcpFaultProxy(upstream.endpoint());
    this.direct = upstream.newClient();
    direct.createBucket(b -> b.bucket(BUCKET));
    startStrata();
  }

  StrataHarness(Path cacheDir) throws IOException {
    this(cacheDir, Map.of());
  }

  void startStrata() {
    Map<String, Object> props = new HashMap<>();
    props.put("strata.upstream.endpoint", (throughNetwork ? network.endpoint() : upstream.endpoint()).toString());
    props.put("strata.upstream.access-key", upstream.accessKey());
    props.put("strata.upstream.secret-key", upstream.secretKey());
    props.put("strata.upstream.connect-timeout", "1s");
    props.put("strata.upstream.probe-interval", "200ms");
    props.put("strata.s3.port", 0);
    props.put("strata.cache.dir", cacheDir.toString());
    props.put("micronaut.server.port", -1);
    // The key pair clientFor() signs with (TestSigner.HARNESS); tests may add or replace it.
    props.put("strata.auth.access-key", TestSigner.HARNESS.accessKey());
    props.put("strata.auth.secret-key", TestSigner.HARNESS.secretKey());
    props.putAll(overrides);
    strata = ApplicationContext.run(props);
    client = clientFor(endpoint());
  }

  void stopStrata() {
    if (client != null) client.close();
    if (strata != null) strata.close();
    strata = null;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + strata.getBean(S3Server.class).address().getPort());
  }

  /** An unmodified AWS SDK client whose only change is the endpoint. */
  S3Client client() {
    return client;
  }

  static S3Client clientFor(URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(TestSigner.HARNESS.accessKey(), TestSigner.HARNESS.secretKey())))
        .build();
  }

  BlockCache cache() {
    return strata.getBean(BlockCache.class);
  }

  <T> T bean(Class<T> type) {
    return strata.getBean(type);
  }

  /** Puts an object straight into the upstream. */
  void put(String key, byte[] bytes) {
    direct.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
  }

  void put(String key, byte[] bytes, Map<String, String> metadata, String contentType) {
    direct.putObject(b -> b.bucket(BUCKET).key(key).metadata(metadata).contentType(contentType), RequestBody.fromBytes(bytes));
  }

  /**
   * A raw HTTP request to Strata (path and query already encoded), signed with the harness's key
   * pair like an SDK request; {@code headers} are name, value pairs and are signed too.
   */
  HttpResponse<byte[]> raw(String method, String pathAndQuery, String... headers) throws IOException, InterruptedException {
    URI uri = URI.create(endpoint() + pathAndQuery);
    Map<String, String> given = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      given.put(headers[i], headers[i + 1]);
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody());
    given.forEach(b::header);
    TestSigner.HARNESS.sign(method, uri, given).forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * A raw request with an explicit Host header (virtual-host style). The JDK client refuses to set
   * Host, so this writes HTTP/1.1 over a socket.
   */
  RawHttp.Response rawWithHost(String method, String path, String host, String... headers) throws IOException {
    Map<String, String> given = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      given.put(headers[i], headers[i + 1]);
    }
    List<String> all = new java.util.ArrayList<>(List.of(headers));
    TestSigner.HARNESS.sign(method, URI.create("http://" + host + path), given).forEach((name, value) -> {
      all.add(name);
      all.add(value);
    });
    return RawHttp.send(endpoint(), method, path, host, all.toArray(String[]::new));
  }

  /** Block files on disk. */
  List<Path> blockFiles() throws IOException {
    Path blocks = cacheDir.resolve("blocks");
    if (!Files.exists(blocks)) return List.of();
    try (Stream<Path> files = Files.walk(blocks)) {
      return files.filter(p -> p.toString().endsWith(".blk")).toList();
    }
  }

  /**
   * No temporary files left and every block file counted by the cache's byte total. A fill may
   * still be finishing the rest of a block after its client got the bytes it asked for, and the
   * background evictor may be deleting blocks, so this waits up to 5 s for the cache to settle.
   */
  void assertCacheConsistent() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      try {
        checkCacheConsistent();
        return;
      } catch (java.nio.file.NoSuchFileException | java.io.UncheckedIOException e) {
        if (System.nanoTime() > deadline) {
          throw e; // a block deleted (evicted) while the tree was walked: look again
        }
        Thread.sleep(20);
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(20);
      }
    }
  }

  private void checkCacheConsistent() throws IOException {
    // A temp file in tmp/ is a fill still running: the cache has not settled yet.
    Path temps = cacheDir.resolve("tmp");
    if (Files.exists(temps)) {
      try (Stream<Path> files = Files.list(temps)) {
        List<Path> left = files.toList();
        if (!left.isEmpty()) {
          throw new AssertionError("temporary file left behind: " + left.get(0));
        }
      }
    }
    Path blocks = cacheDir.resolve("blocks");
    long onDisk = 0;
    if (Files.exists(blocks)) {
      try (Stream<Path> files = Files.walk(blocks)) {
        for (Path p : files.filter(Files::isRegularFile).toList()) {
          if (p.toString().endsWith(".tmp")) {
            throw new AssertionError("temporary file left behind: " + p);
          }
          onDisk += Files.size(p);
        }
      }
    }
    long recorded = cache().stats().bytes();
    if (onDisk != recorded) {
      throw new AssertionError("cache records " + recorded + " bytes but " + onDisk + " are on disk");
    }
  }

  @Override
  public void close() throws IOException {
    stopStrata();
    network.close();
    direct.close();
    upstream.close();
  }
}
