package io.strata.proxy.it;

import io.micronaut.runtime.server.EmbeddedServer;
import io.strata.proxy.upstream.UpstreamHealth;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link StrataHarness} for tests outside this package (the admin UI's browser tests): the same
 * deployment on loopback, with the admin port started, and only what a browser scenario needs.
 */
public final class BrowserHarness implements AutoCloseable {

  public static final String BUCKET = StrataHarness.BUCKET;

  private final StrataHarness strata;
  private final EmbeddedServer admin;

  public BrowserHarness(Path cacheDir, Map<String, Object> overrides) throws IOException {
    this.strata = new StrataHarness(cacheDir, overrides);
    this.admin = strata.bean(EmbeddedServer.class).start();
  }

  /** The admin port's base URL, e.g. {@code http://127.0.0.1:34567/}. */
  public URI adminUrl() {
    return URI.create("http://127.0.0.1:" + admin.getPort() + "/");
  }

  /** An AWS SDK client signed for Strata's S3 port. */
  public S3Client client() {
    return strata.client();
  }

  /** Puts an object straight into the upstream, past Strata. */
  public void putUpstream(String key, byte[] bytes) {
    strata.put(key, bytes);
  }

  /** The network between Strata and its upstream goes away. */
  public void cutNetwork() throws IOException {
    strata.network.cut();
  }

  public void restoreNetwork() throws IOException {
    strata.network.restore();
  }

  public boolean online() {
    return strata.bean(UpstreamHealth.class).isOnline();
  }

  @Override
  public void close() throws IOException {
    strata.close();
  }
}
