package io.strata.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.runtime.server.EmbeddedServer;
import io.strata.proxy.Application;
import io.strata.proxy.config.AdminSettings;
import io.strata.proxy.config.ConfigurationError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin port as a browser or a script on the network would meet it: the bearer token, the
 * open health probes, cross-site writes, DNS rebinding, and the refusal to start exposed without a token.
 */
class AdminSecurityTest {

  private static final String TOKEN = "3f9c1e0b7a5d4c2e8f6a1b3c5d7e9f0a";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void token_isRequiredEverywhereButTheHealthProbes() throws Exception {
    try (ApplicationContext ctx = start(Map.of("strata.admin.token", TOKEN))) {
      URI admin = adminUri(ctx);

      HttpResponse<String> none = get(admin, "/api/uploads");
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"strata-admin\"");
      assertThat(none.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
      assertThat(none.body()).contains("\"message\"").contains("Authorization: Bearer").doesNotContain(TOKEN);

      HttpResponse<String> wrong = get(admin, "/api/uploads", "Authorization", "Bearer " + TOKEN.replace('3', '4'));
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
      assertThat(get(admin, "/api/uploads", "Authorization", "Basic " + TOKEN).statusCode()).isEqualTo(401);
      assertThat(get(admin, "/api/uploads", "Authorization", "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
      assertThat(get(admin, "/api/uploads", "Authorization", "Bearer").statusCode()).isEqualTo(401);

      HttpResponse<String> right = get(admin, "/api/uploads", "Authorization", "Bearer " + TOKEN);
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(right.body()).contains("\"count\":0");
      assertThat(get(admin, "/api/uploads", "Authorization", "bearer " + TOKEN).statusCode()).isEqualTo(200);

      assertThat(get(admin, "/health").statusCode()).isEqualTo(200);
      assertThat(get(admin, "/health/liveness").statusCode()).isEqualTo(200);
      assertThat(get(admin, "/health/readiness").statusCode()).isEqualTo(200);
      // only the probes: no prefix that a path could climb out of, no other endpoint, no writes
      assertThat(get(admin, "/health/../api/uploads").statusCode()).isEqualTo(401);
      assertThat(get(admin, "/nothing-here").statusCode()).isEqualTo(401);
      assertThat(post(admin, "/health", "{}").statusCode()).isEqualTo(401);
    }
  }

  @Test
  void crossSiteWrites_areRefused_sameOriginAndScriptsPass() throws Exception {
    try (ApplicationContext ctx = start(Map.of("strata.admin.token", TOKEN))) {
      URI admin = adminUri(ctx);
      String own = "http://127.0.0.1:" + admin.getPort();
      String body = "{\"action\":\"discard\"}";
      String[] auth = {"Authorization", "Bearer " + TOKEN};

      HttpResponse<String> evil = post(admin, "/api/uploads/1/resolve", body, auth[0], auth[1], "Origin", "http://evil.example");
      assertThat(evil.statusCode()).isEqualTo(403);
      assertThat(evil.body()).contains("\"message\"").contains("cross-site").contains("http://evil.example");
      // another web application on the same machine is another origin, too
      assertThat(post(admin, "/api/uploads/1/resolve", body, auth[0], auth[1], "Origin", "http://127.0.0.1:8080")
          .statusCode()).isEqualTo(403);
      assertThat(post(admin, "/api/uploads/1/resolve", body, auth[0], auth[1], "Origin", "null").statusCode()).isEqualTo(403);
      assertThat(post(admin, "/api/uploads/1/resolve", body, auth[0], auth[1], "Sec-Fetch-Site", "cross-site")
          .statusCode()).isEqualTo(403);
      assertThat(post(admin, "/api/uploads/1/resolve", body, auth[0], auth[1], "Sec-Fetch-Site", "same-site")
          .statusCode()).isEqualTo(403);
      // a cross-site page is refused before the token is even looked at
      assertThat(post(admin, "/api/uploads/1/resolve", body, "Origin", "http://evil.example").statusCode()).isEqualTo(403);

      // past the filters, the controller answers: no queued write 1
      HttpResponse<String> same = post(admin, "/api/uploads/1/resolve", body, auth[0], auth[1], "Origin", own,
          "Sec-Fetch-Site", "same-origin");
      assertThat(same.statusCode()).isEqualTo(404);
      assertThat(same.body()).contains("no queued write with id 1");
      assertThat(post(admin, "/api/uploads/1/resolve", body, auth[0], auth[1]).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void loopbackWithoutToken_isOpenToLocalNames_butNotToRebindedOnes() throws Exception {
    try (ApplicationContext ctx = start(Map.of())) {
      URI admin = adminUri(ctx);
      assertThat(get(admin, "/api/uploads").statusCode()).isEqualTo(200);
      assertThat(rawStatus(admin, "localhost:" + admin.getPort())).isEqualTo(200);
      assertThat(rawStatus(admin, "[::1]:" + admin.getPort())).isEqualTo(200);
      // evil.example re-pointed at 127.0.0.1: the browser sends its own name
      assertThat(rawStatus(admin, "evil.example:" + admin.getPort())).isEqualTo(403);
      assertThat(rawStatus(admin, "127.0.0.1.evil.example:" + admin.getPort())).isEqualTo(403);
      assertThat(post(admin, "/api/uploads/1/resolve", "{\"action\":\"discard\"}", "Origin", "http://evil.example")
          .statusCode()).isEqualTo(403);
    }
  }

  @Test
  void tokenFromFile_isTrimmed() throws Exception {
    Path file = Files.writeString(dir.resolve("admin-token"), TOKEN + "\n");
    try (ApplicationContext ctx = start(Map.of("strata.admin.token-file", file.toString()))) {
      URI admin = adminUri(ctx);
      assertThat(get(admin, "/api/uploads").statusCode()).isEqualTo(401);
      assertThat(get(admin, "/api/uploads", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void nonLoopbackBindWithoutToken_refusesToStart() {
    for (String host : new String[] {"0.0.0.0", "::"}) {
      assertThatThrownBy(() -> start(Map.of("micronaut.server.host", host)))
          .satisfies(e -> assertThat(configurationError(e)).hasMessage("invalid configuration: the admin port binds '"
              + host + "' (micronaut.server.host), which is not a loopback address, and strata.admin.token is not set"
              + " (expected: a token via STRATA_ADMIN_TOKEN or strata.admin.token-file, or micronaut.server.host=127.0.0.1)"));
    }
    assertThat(dir.resolve("cache")).as("refused before the cache is opened").doesNotExist();
  }

  @Test
  void nonLoopbackBindWithoutToken_processExits2WithOneLine() throws Exception {
    Process p = startProcess(Map.of("MICRONAUT_SERVER_HOST", "0.0.0.0"));
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(stderr.lines().filter(l -> !l.isBlank()).toList()).containsExactly(
        "strata: invalid configuration: the admin port binds '0.0.0.0' (micronaut.server.host), which is not a"
            + " loopback address, and strata.admin.token is not set (expected: a token via STRATA_ADMIN_TOKEN or"
            + " strata.admin.token-file, or micronaut.server.host=127.0.0.1)");
  }

  @Test
  void tokenFromEnvironmentVariable_isRequired() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Process p = startProcess(Map.of("STRATA_ADMIN_TOKEN", TOKEN, "MICRONAUT_SERVER_PORT", Integer.toString(port)));
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.contains("Strata is running")) {
        // start-up log lines
      }
      assertThat(line).as("Strata started").isNotNull();
      Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
      drain.setDaemon(true);
      drain.start();
      URI admin = URI.create("http://127.0.0.1:" + port);
      assertThat(get(admin, "/api/uploads").statusCode()).isEqualTo(401);
      assertThat(get(admin, "/api/uploads", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    } finally {
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** Strata as a process, configured from environment variables like a container. */
  private Process startProcess(Map<String, String> env) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        Application.class.getName()).directory(dir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("STRATA_") || k.startsWith("MICRONAUT_"));
    pb.environment().putAll(Map.of("STRATA_UPSTREAM_ENDPOINT", "http://127.0.0.1:1", "STRATA_S3_PORT", "0",
        "STRATA_CACHE_DIR", dir.resolve("cache").toString()));
    pb.environment().putAll(Map.of("STRATA_AUTH_ACCESS_KEY", "client", "STRATA_AUTH_SECRET_KEY", "client-secret"));
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    return p;
  }

  @Test
  void nonLoopbackBindWithToken_isAllowed_andOnlyTheExactTokenPasses() {
    // the check alone (no server is bound: tests listen on loopback only)
    HttpServerConfiguration server = new HttpServerConfiguration();
    server.setHost("0.0.0.0");
    AdminAccess access = new AdminAccess(new AdminSettings(TOKEN, null), server);
    assertThat(access.loopbackBind()).isFalse();
    assertThat(access.tokenRequired()).isTrue();
    assertThat(access.accepts("Bearer " + TOKEN)).isTrue();
    assertThat(access.accepts("Bearer  " + TOKEN + " ")).isTrue();
    assertThat(access.accepts("BEARER " + TOKEN)).isTrue();
    assertThat(access.accepts(TOKEN)).isFalse();
    assertThat(access.accepts(null)).isFalse();
    assertThat(access.accepts("Bearer " + TOKEN.substring(1))).isFalse();
  }

  private ApplicationContext start(Map<String, Object> overrides) {
    Map<String, Object> props = new HashMap<>();
    props.put("strata.upstream.endpoint", "http://127.0.0.1:1");
    props.put("strata.s3.port", 0);
    props.put("strata.cache.dir", dir.resolve("cache").toString());
    props.put("micronaut.server.port", -1);
    props.put("strata.auth.access-key", "client");
    props.put("strata.auth.secret-key", "client-secret");
    props.putAll(overrides);
    // not ApplicationContext.run: a context that fails to start must still be closed (the cache lock)
    ApplicationContext ctx = ApplicationContext.builder().properties(props).build();
    try {
      ctx.start();
      ctx.getBean(EmbeddedServer.class).start();
      return ctx;
    } catch (RuntimeException e) {
      ctx.close();
      throw e;
    }
  }

  private static URI adminUri(ApplicationContext ctx) {
    return URI.create("http://127.0.0.1:" + ctx.getBean(EmbeddedServer.class).getPort());
  }

  private HttpResponse<String> get(URI admin, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(admin.resolve(path)).timeout(Duration.ofSeconds(30)).GET();
    if (headers.length > 0) b.headers(headers);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(URI admin, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(admin.resolve(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) b.headers(headers);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GET /api/uploads with a chosen Host header, which the JDK client will not set. */
  private static int rawStatus(URI admin, String host) throws IOException {
    try (Socket socket = new Socket(admin.getHost(), admin.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /api/uploads HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String status = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
      return Integer.parseInt(status.split(" ")[1]);
    }
  }

  private static Throwable configurationError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConfigurationError) return c;
    }
    throw new AssertionError("no ConfigurationError in the chain: " + t, t);
  }
}
