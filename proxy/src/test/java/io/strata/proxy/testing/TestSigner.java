package io.strata.proxy.testing;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs hand-made requests the way the AWS SDK does, with the SDK's own SigV4 signer, so raw-HTTP
 * tests send requests a real client could have sent (and can then tamper with them).
 *
 * @param accessKey client access key id
 * @param secretKey client secret
 * @param region the region in the credential scope
 */
public record TestSigner(String accessKey, String secretKey, String region) {

  /** The key pair the integration-test harness configures in Strata. */
  public static final TestSigner HARNESS = new TestSigner("client", "client-secret", "us-east-1");

  /**
   * The headers to add to a request (Authorization, x-amz-date, x-amz-content-sha256), payload
   * unsigned; {@code headers} are signed too (the host is always signed).
   */
  public Map<String, String> sign(String method, URI uri, Map<String, String> headers) {
    return sign(method, uri, headers, Clock.systemUTC().instant());
  }

  public Map<String, String> sign(String method, URI uri, Map<String, String> headers, Instant at) {
    return sign(method, uri, headers, null, at);
  }

  /** Like {@link #sign}, with the body's SHA-256 signed as {@code x-amz-content-sha256}. */
  public Map<String, String> signPayload(String method, URI uri, Map<String, String> headers, byte[] body) {
    return sign(method, uri, headers, body, Clock.systemUTC().instant());
  }

  private Map<String, String> sign(String method, URI uri, Map<String, String> headers, byte[] body, Instant at) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.fromValue(method))
        .uri(signedForm(uri));
    if (body == null) {
      request.putHeader("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
    }
    headers.forEach(request::putHeader);
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create(accessKey, secretKey))
        .request(request.build())
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, body != null)
        .payload(body == null ? null : ContentStreamProvider.fromByteArray(body))
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
    Map<String, String> added = new LinkedHashMap<>();
    for (String name : List.of("Authorization", "X-Amz-Date", "x-amz-content-sha256")) {
      signed.request().firstMatchingHeader(name).ifPresent(v -> added.put(name, v));
    }
    return added;
  }

  /** A presigned URL for {@code method uri}, valid for {@code expires}. */
  public URI presign(String method, URI uri, java.time.Duration expires, Instant at) {
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create(accessKey, secretKey))
        .request(SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(signedForm(uri)).build())
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expires)
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
    // The query is the signed one; the path stays as the caller wrote it.
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath() + "?"
        + signed.request().getUri().getRawQuery());
  }

  /**
   * The URI as an SDK signs it: a slash inside a key that is sent as {@code %2F} is signed as
   * {@code /} (the SDK sends a key's {@code //} as {@code /%2F} but signs {@code //}), which is
   * how S3, MinIO and Strata canonicalize the path.
   */
  private static URI signedForm(URI uri) {
    String path = uri.getRawPath().replace("%2F", "/").replace("%2f", "/");
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path + query);
  }
}
