package io.strata.proxy.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server in this JVM: s3proxy on {@code 127.0.0.1} and a free port.
 *
 * <p>The demo uses {@link #start(Path)} so its data set survives restarts and is seeded once;
 * tests use {@link #startInMemory()} as "the real upstream" (s3proxy's own tests do the same).
 * s3proxy's Jetty threads are not daemons, so always {@link #close()} it, in {@code finally} or
 * {@code @AfterAll}.
 */
public final class DemoUpstream implements AutoCloseable {

  /** Access key of the demo upstream; not a secret, it only guards a loopback server. */
  public static final String ACCESS_KEY = "strata-demo";
  /** Secret key matching {@link #ACCESS_KEY}. */
  public static final String SECRET_KEY = "strata-demo-secret-key-not-for-production";
  /** Region the SDK signs for; s3proxy accepts any, SigV4 just needs one. */
  public static final Region REGION = Region.US_EAST_1;
  /** s3proxy starts in about 0.7 s here; allow for a slow CI machine. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final S3Proxy proxy;
  private final URI endpoint;

  private DemoUpstream(S3Proxy proxy, URI endpoint) {
    this.proxy = proxy;
    this.endpoint = endpoint;
  }

  /** Starts an upstream whose buckets are directories under {@code dataDir}, kept across runs. */
  public static DemoUpstream start(Path dataDir) {
    requireNonNull(dataDir, "dataDir");
    Path dir = dataDir.toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create demo data directory " + dir, e);
    }
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", dir.toString());
    return start("filesystem-nio2", properties);
  }

  /** Starts an upstream that keeps everything in memory; for tests. */
  public static DemoUpstream startInMemory() {
    return start("transient-nio2", new Properties());
  }

  private static DemoUpstream start(String provider, Properties properties) {
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(BlobStores.create(provider, properties))
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    try {
      proxy.start();
      awaitStarted(proxy);
      return new DemoUpstream(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
    } catch (Exception e) {
      stopQuietly(proxy, e);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("cannot start demo upstream (" + provider + ")", e);
    }
  }

  // start() returns before Jetty has bound its port; getPort() is only valid once STARTED.
  private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy state: " + proxy.getState()
            + " after " + START_TIMEOUT + " (expected: STARTED)");
      }
      Thread.sleep(10);
    }
  }

  private static void stopQuietly(S3Proxy proxy, Exception cause) {
    try {
      proxy.stop();
    } catch (Exception e) {
      cause.addSuppressed(e);
    }
  }

  /** Base URI of the server, e.g. {@code http://127.0.0.1:41234}; clients use path style. */
  public URI endpoint() {
    return endpoint;
  }

  public String accessKey() {
    return ACCESS_KEY;
  }

  public String secretKey() {
    return SECRET_KEY;
  }

  /** A new SDK client for this server (path style, {@link #REGION}); the caller closes it. */
  public S3Client newClient() {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(REGION)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  /** Stops the server and its non-daemon Jetty threads. */
  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop demo upstream at " + endpoint, e);
    }
  }
}
