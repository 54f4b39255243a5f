package io.strata.proxy.s3.body;

import io.strata.proxy.testing.CaptureServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * Real request bodies from AWS SDK for Java v2, captured by {@link CaptureServer}. Used live by
 * {@code AwsSdkCaptureTest} and, through {@link #main}, to (re)write the fixtures under
 * {@code src/test/resources/io/strata/proxy/s3/body/}.
 *
 * <p>Over plain HTTP the SDK always signs chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER);
 * the unsigned form (STREAMING-UNSIGNED-PAYLOAD-TRAILER) is only sent over TLS with payload
 * signing off, hence the self-signed {@code capture-tls.p12} (test-only, for 127.0.0.1).
 */
final class SdkCaptures {

  /** The small payload every "small" capture carries. */
  static final byte[] SMALL = "hello world, this is strata".getBytes(StandardCharsets.UTF_8);
  /** Two SDK chunks (128 KiB + the rest), deterministic. */
  static final byte[] LARGE = randomBytes(140_000, 1);

  /** One capture scenario: how the client is built and what it uploads. */
  enum Scenario {
    /** SDK defaults over HTTP: signed chunks, CRC32 trailer. */
    SIGNED_TRAILER_CRC32(false, b -> {}, r -> {}, SMALL, false),
    /** CRC32C requested, two chunks. */
    SIGNED_TRAILER_CRC32C_LARGE(false, b -> {}, r -> r.checksumAlgorithm(ChecksumAlgorithm.CRC32_C),
        LARGE, false),
    /** Checksums only when required: signed chunks, no trailer. */
    SIGNED_NO_TRAILER(false,
        b -> b.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED), r -> {}, LARGE,
        false),
    /** Unknown length (content provider), SDK defaults. */
    SIGNED_TRAILER_UNKNOWN_LENGTH(false, b -> {}, r -> {}, LARGE, true),
    /** Chunked encoding disabled: a plain body, hex x-amz-content-sha256, checksum header. */
    PLAIN_CRC32_HEADER(false,
        b -> b.serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build()),
        r -> {}, SMALL, false),
    /** HTTPS without payload signing: unsigned chunks, CRC32 trailer. */
    UNSIGNED_TRAILER_CRC32(true, b -> {}, r -> {}, SMALL, false),
    /** HTTPS, SHA256 trailer, two chunks. */
    UNSIGNED_TRAILER_SHA256_LARGE(true, b -> {}, r -> r.checksumAlgorithm(ChecksumAlgorithm.SHA256),
        LARGE, false);

    final boolean tls;
    final Consumer<S3ClientBuilder> client;
    final Consumer<PutObjectRequest.Builder> request;
    final byte[] payload;
    final boolean unknownLength;

    Scenario(boolean tls, Consumer<S3ClientBuilder> client, Consumer<PutObjectRequest.Builder> request,
        byte[] payload, boolean unknownLength) {
      this.tls = tls;
      this.client = client;
      this.request = request;
      this.payload = payload;
      this.unknownLength = unknownLength;
    }

    String fixtureName() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private SdkCaptures() {}

  /** Runs one putObject against a fresh capture server and returns what arrived. */
  static CaptureServer.Captured capture(Scenario scenario) throws Exception {
    try (CaptureServer server = new CaptureServer(scenario.tls ? tlsContext() : null);
        S3Client s3 = client(scenario, server.port())) {
      RequestBody body = scenario.unknownLength
          ? RequestBody.fromContentProvider(
              () -> new java.io.ByteArrayInputStream(scenario.payload), "application/octet-stream")
          : RequestBody.fromBytes(scenario.payload);
      s3.putObject(r -> scenario.request.accept(r.bucket("bucket").key("key")), body);
      return server.take();
    }
  }

  private static S3Client client(Scenario scenario, int port) {
    S3ClientBuilder builder = S3Client.builder()
        .endpointOverride(URI.create((scenario.tls ? "https" : "http") + "://127.0.0.1:" + port))
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")));
    if (scenario.tls) {
      S3AuthSchemeProvider defaults = S3AuthSchemeProvider.defaultProvider();
      builder
          .httpClient(ApacheHttpClient.builder().buildWithDefaults(AttributeMap.builder()
              .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, true).build()))
          .authSchemeProvider(params -> defaults.resolveAuthScheme(params).stream()
              .map(option -> option.toBuilder()
                  .putSignerProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                  .build())
              .toList());
    } else {
      builder.httpClient(ApacheHttpClient.create());
    }
    scenario.client.accept(builder);
    return builder.build();
  }

  private static SSLContext tlsContext() throws IOException, GeneralSecurityException {
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    char[] password = "changeit".toCharArray();
    try (InputStream in = SdkCaptures.class.getResourceAsStream("capture-tls.p12")) {
      keyStore.load(in, password);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** A stored capture: headers (lower-case names) and the body as sent. */
  record Fixture(Map<String, String> headers, byte[] body) {
    static Fixture load(Scenario scenario) {
      try (InputStream h = SdkCaptures.class.getResourceAsStream(scenario.fixtureName() + ".headers");
          InputStream b = SdkCaptures.class.getResourceAsStream(scenario.fixtureName() + ".body")) {
        if (h == null || b == null) {
          throw new IllegalStateException("missing fixture " + scenario.fixtureName());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : new String(h.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          int colon = line.indexOf(':');
          if (colon > 0) {
            headers.put(line.substring(0, colon), line.substring(colon + 1).strip());
          }
        }
        return new Fixture(headers, b.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Rewrites the fixtures: {@code main(src/test/resources/io/strata/proxy/s3/body)}. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    for (Scenario scenario : Scenario.values()) {
      CaptureServer.Captured captured = capture(scenario);
      StringBuilder headers = new StringBuilder();
      captured.headers().forEach((name, value) -> {
        if (!name.equals("user-agent")) { // names the build machine's OS and JDK
          headers.append(name).append(": ").append(value).append('\n');
        }
      });
      Files.writeString(dir.resolve(scenario.fixtureName() + ".headers"), headers);
      Files.write(dir.resolve(scenario.fixtureName() + ".body"), captured.body());
      System.out.println(scenario.fixtureName() + ": " + captured.headers().get("x-amz-content-sha256")
          + " " + captured.body().length + " bytes");
    }
  }
}
