package io.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.proxy.demo.DemoUpstream;
import io.strata.proxy.testing.TestSigner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Strata as a process, started the way users start it: configuration from environment variables,
 * one clear line and exit code 2 for bad configuration.
 */
class StartupTest {

  @TempDir Path dir;

  @Test
  void badSize_failsWithOneLineNamingTheKey() throws Exception {
    Result r = run(Map.of("STRATA_UPSTREAM_ENDPOINT", "http://127.0.0.1:1", "STRATA_CACHE_MAX_SIZE", "lots", "STRATA_S3_PORT", "0",
        "STRATA_AUTH_ACCESS_KEY", "client", "STRATA_AUTH_SECRET_KEY", "client-secret"));
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.stderr).hasSize(1);
    assertThat(r.stderr.get(0)).startsWith("strata: invalid configuration: strata.cache.max-size: 'lots' (expected: a size");
  }

  @Test
  void missingEndpoint_failsWithOneLineSayingWhatToSet() throws Exception {
    Result r = run(Map.of("STRATA_S3_PORT", "0", "STRATA_AUTH_ANONYMOUS", "true"));
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.stderr).hasSize(1);
    assertThat(r.stderr.get(0)).contains("strata.upstream.endpoint").contains("STRATA_UPSTREAM_ENDPOINT").contains("--demo");
  }

  @Test
  void noClientKeys_andAnonymousNotEnabled_refusesToStart() throws Exception {
    Result r = run(Map.of("STRATA_UPSTREAM_ENDPOINT", "http://127.0.0.1:1", "STRATA_S3_PORT", "0"));
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.stderr).hasSize(1);
    assertThat(r.stderr.get(0)).startsWith("strata: invalid configuration: no client credentials")
        .contains("STRATA_AUTH_ACCESS_KEY").contains("strata.auth.anonymous=true");
  }

  @Test
  void unreadableSecretFile_failsWithOneLine_withoutTheSecret() throws Exception {
    Result r = run(Map.of("STRATA_UPSTREAM_ENDPOINT", "http://127.0.0.1:1", "STRATA_S3_PORT", "0",
        "STRATA_AUTH_ACCESS_KEY", "client", "STRATA_AUTH_SECRET_KEY_FILE", dir.resolve("missing").toString()));
    assertThat(r.exitCode).isEqualTo(2);
    assertThat(r.stderr).hasSize(1);
    assertThat(r.stderr.get(0)).contains("strata.auth.secret-key-file").contains("cannot read");
  }

  @Test
  void environmentVariables_configureUpstreamAndPort() throws Exception {
    DemoUpstream upstream = DemoUpstream.startInMemory();
    try (S3Client direct = upstream.newClient()) {
      direct.createBucket(b -> b.bucket("env-test"));
      direct.putObject(b -> b.bucket("env-test").key("k.txt"), RequestBody.fromString("from the upstream"));
      Process p =
          start(Map.of(
              "STRATA_UPSTREAM_ENDPOINT", upstream.endpoint().toString(),
              "STRATA_UPSTREAM_ACCESS_KEY", upstream.accessKey(),
              "STRATA_UPSTREAM_SECRET_KEY", upstream.secretKey(),
              "STRATA_S3_PORT", "0",
              "MICRONAUT_SERVER_PORT", "-1",
              "STRATA_AUTH_ACCESS_KEY", "env-client",
              // the secret from a file, as a mounted secret would give it
              "STRATA_AUTH_SECRET_KEY_FILE", secretFile("env-secret\n").toString()));
      try {
        int port = awaitPort(p);
        URI uri = URI.create("http://127.0.0.1:" + port + "/env-test/k.txt");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        new TestSigner("env-client", "env-secret", "us-east-1").sign("GET", uri, Map.of()).forEach(request::header);
        HttpResponse<String> got = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("from the upstream");
        HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.body()).contains("<Code>AccessDenied</Code>");
      } finally {
        p.destroy();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      upstream.close();
    }
  }

  private Path secretFile(String content) throws IOException {
    Path file = dir.resolve("secret");
    Files.writeString(file, content);
    return file;
  }

  private record Result(int exitCode, List<String> stdout, List<String> stderr) {}

  private Process start(Map<String, String> env) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Application.class.getName())
            .directory(dir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("STRATA_") || k.startsWith("MICRONAUT_"));
    pb.environment().put("STRATA_CACHE_DIR", dir.resolve("cache").toString());
    pb.environment().putAll(env);
    pb.redirectErrorStream(false);
    return pb.start();
  }

  private Result run(Map<String, String> env) throws Exception {
    Process p = start(env);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("process exited").isTrue();
    return new Result(p.exitValue(), lines(p.getInputStream()), lines(p.getErrorStream()));
  }

  private static int awaitPort(Process p) throws Exception {
    Pattern listening = Pattern.compile("S3 endpoint : http://127\\.0\\.0\\.1:(\\d+)");
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      Matcher m = listening.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(m.group(1));
      }
    }
    throw new AssertionError("Strata exited before listening: exit " + p.waitFor());
  }

  private static List<String> lines(java.io.InputStream in) throws Exception {
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      r.lines().filter(l -> !l.isBlank()).forEach(lines::add);
    }
    return lines;
  }
}
