package io.strata.bench;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * The upstream S3 server of a whole-system run, in its own JVM: s3proxy with the filesystem
 * backend and no authentication (so neither Strata nor nginx nor the load generator signs), plus
 * a tiny counter endpoint, {@code GET /counts?key=bucket/key}, answering {@code gets=N heads=M}
 * and then one line {@code GET <range>} per object GET.
 *
 * <p>Usage: {@code UpstreamMain DATA_DIR S3_PORT COUNTER_PORT}.
 */
public final class UpstreamMain implements AutoCloseable {

  private final S3Proxy proxy;
  private final HttpServer counter;

  private UpstreamMain(S3Proxy proxy, HttpServer counter) {
    this.proxy = proxy;
    this.counter = counter;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: UpstreamMain DATA_DIR S3_PORT COUNTER_PORT");
      System.exit(2);
    }
    Path dir = Files.createDirectories(Path.of(args[0]).toAbsolutePath());
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", dir.toString());
    UpstreamMain upstream =
        start("filesystem-nio2", properties, Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    Runtime.getRuntime().addShutdownHook(new Thread(upstream::close));
    System.out.println("upstream ready: s3 " + upstream.endpoint() + " counter " + upstream.counterEndpoint()
        + " data " + dir);
  }

  /** Starts s3proxy ({@code provider}: {@code filesystem-nio2} or {@code transient-nio2}) and the counter; 0 = any port. */
  static UpstreamMain start(String provider, Properties properties, int s3Port, int counterPort) throws Exception {
    requireNonNull(provider, "provider");
    CountingBlobStore store = new CountingBlobStore(BlobStores.create(provider, properties));
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(store)
        .endpoint(URI.create("http://127.0.0.1:" + s3Port))
        .awsAuthentication(AuthenticationType.NONE, null, null)
        // 64 direct connections in scenario 1 plus the caches' pools: never queue on Jetty threads
        .jettyMaxThreads(256)
        .build();
    proxy.start();
    while (!"STARTED".equals(proxy.getState())) {
      Thread.sleep(10);
    }
    HttpServer counter = HttpServer.create(new InetSocketAddress("127.0.0.1", counterPort), 16);
    counter.createContext("/counts", exchange -> {
      String query = exchange.getRequestURI().getRawQuery();
      String key = query != null && query.startsWith("key=")
          ? URLDecoder.decode(query.substring(4), StandardCharsets.UTF_8) : "";
      CountingBlobStore.Counts counts = store.counts(key);
      StringBuilder text = new StringBuilder()
          .append("gets=").append(counts.gets()).append(" heads=").append(counts.heads()).append('\n');
      counts.ranges().forEach(range -> text.append("GET ").append(range).append('\n'));
      byte[] body = text.toString().getBytes(StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      } catch (IOException ignored) {
        // the caller went away
      }
    });
    counter.start();
    return new UpstreamMain(proxy, counter);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  URI counterEndpoint() {
    return URI.create("http://127.0.0.1:" + counter.getAddress().getPort());
  }

  @Override
  public void close() {
    counter.stop(0);
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop s3proxy", e);
    }
  }
}
