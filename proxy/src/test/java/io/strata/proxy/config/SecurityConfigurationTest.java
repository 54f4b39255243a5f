package io.strata.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata.admin.*}, {@code strata.s3.tls.*} and the upstream secret: defaults, mapping, files, masking. */
class SecurityConfigurationTest {

  @TempDir Path dir;

  @Test
  void defaults_noTokenNoTls_andKeysBindToTheirRecords() throws Exception {
    try (ApplicationContext ctx = ApplicationContext.builder().properties(Map.of()).build()) {
      ctx.getEnvironment().start();
      assertThat(ctx.getEnvironment().getProperty("micronaut.server.host", String.class)).hasValue("127.0.0.1");
    }
    Path token = Files.writeString(dir.resolve("token"), "t0ken\n");
    Map<String, Object> props = Map.of(
        "strata.upstream.endpoint", "http://127.0.0.1:1", "strata.s3.port", 0, "strata.cache.dir", dir.toString(),
        "strata.admin.token-file", token.toString(),
        "strata.upstream.access-key", "ak", "strata.upstream.secret-key-file", token.toString(),
        "strata.auth.anonymous", "true");
    try (ApplicationContext ctx = ApplicationContext.run(props)) {
      assertThat(ctx.getBean(AdminSettings.class)).isEqualTo(new AdminSettings(null, token.toString()));
      assertThat(ctx.getBean(AdminSettings.class).bearerToken()).hasValue("t0ken");
      assertThat(ctx.getBean(S3TlsConfig.class)).isEqualTo(new S3TlsConfig(null, null));
      assertThat(ctx.getBean(S3TlsConfig.class).enabled()).isFalse();
      assertThat(ctx.getBean(UpstreamConfig.class).secretKeyFile()).isEqualTo(token.toString());
    }
    try (ApplicationContext ctx = ApplicationContext.run(Map.of(
        "strata.upstream.endpoint", "http://127.0.0.1:1", "strata.s3.port", 0, "strata.cache.dir", dir.toString(),
        "strata.auth.anonymous", "true"))) {
      assertThat(ctx.getBean(AdminSettings.class).bearerToken()).isEmpty();
    }
  }

  @Test
  void secrets_areMaskedInToString() {
    AdminSettings admin = new AdminSettings("admin-secret-value", null);
    assertThat(admin.toString()).doesNotContain("admin-secret-value").contains("token=****");
    assertThat(new AdminSettings(null, null).toString()).contains("token=null");
    UpstreamConfig upstream =
        new UpstreamConfig("http://u", "us-east-1", "AKIA123", "upstream-secret-value", true, "2s", "30s", "1s", 64, null);
    assertThat(upstream.toString()).doesNotContain("upstream-secret-value").contains("secretKey=****")
        .contains("accessKey=AKIA123");
  }

  @Test
  void secretFiles_trimmed_andErrorsNameTheFileNotTheContent() throws Exception {
    Path file = Files.writeString(dir.resolve("secret"), "  s3cr3t \n");
    assertThat(Secrets.inlineOrFile("k", null, "k-file", file.toString())).hasValue("s3cr3t");
    assertThat(Secrets.inlineOrFile("k", " inline ", "k-file", null)).hasValue("inline");
    assertThat(Secrets.inlineOrFile("k", "", "k-file", " ")).isEmpty();

    assertThatThrownBy(() -> Secrets.inlineOrFile("k", "inline", "k-file", file.toString()))
        .isInstanceOf(ConfigurationError.class).hasMessage("invalid configuration: both k and k-file are set (expected: one of them)");
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> Secrets.inlineOrFile("k", null, "k-file", missing.toString()))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageStartingWith("invalid configuration: k-file: '" + missing + "'").hasMessageContaining("NoSuchFileException");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() -> Secrets.inlineOrFile("k", null, "k-file", empty.toString())).hasMessageContaining("empty");
    Path twoLines = Files.writeString(dir.resolve("two"), "line-one-secret\nline-two-secret\n");
    assertThatThrownBy(() -> Secrets.inlineOrFile("k", null, "k-file", twoLines.toString()))
        .hasMessageContaining("k-file contains a line break")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("line-one-secret"));
  }

  @Test
  void adminToken_mustBeAValidBearerToken() {
    assertThat(new AdminSettings("abc-DEF_123.~+/==", null).bearerToken()).hasValue("abc-DEF_123.~+/==");
    assertThatThrownBy(() -> new AdminSettings("has space inside", null).bearerToken())
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("strata.admin.token is not a valid bearer token")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("has space inside"));
  }
}
