package io.strata.proxy.s3;

import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.strata.proxy.config.ConfigurationError;
import io.strata.proxy.config.S3TlsConfig;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTPS on the S3 port ({@code strata.s3.tls.*}): one {@link SslContext} built at start-up from
 * PEM files, TLS 1.2 and 1.3 only, JDK provider. Every problem with the files is a start-up error
 * naming the file and the reason, never their content; a certificate and key that do not belong
 * together are caught here rather than as every client's handshake failing.
 */
@Singleton
final class S3Tls {

  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private final Optional<SslContext> context;

  S3Tls(S3TlsConfig config) {
    this.context = config.enabled() ? Optional.of(build(Path.of(config.cert().trim()), Path.of(config.key().trim())))
        : Optional.empty();
  }

  /** {@code https} with TLS configured, else {@code http}. */
  String scheme() {
    return context.isPresent() ? "https" : "http";
  }

  /** The first handler of a new connection's pipeline, if TLS is on. */
  Optional<ChannelHandler> newHandler() {
    return context.map(HttpsOnly::new);
  }

  private static SslContext build(Path certFile, Path keyFile) {
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile, chain.get(0).getPublicKey());
    try {
      return SslContextBuilder.forServer(key, chain)
          .sslProvider(SslProvider.JDK)
          .protocols("TLSv1.3", "TLSv1.2")
          .build();
    } catch (IOException | RuntimeException e) {
      throw unusable("strata.s3.tls.cert", certFile, reason(e));
    }
  }

  private static List<X509Certificate> certificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(X509Certificate.class::cast).toList();
      if (chain.isEmpty()) {
        throw unusable("strata.s3.tls.cert", file, "no certificate in it (expected: PEM, -----BEGIN CERTIFICATE-----)");
      }
      return chain;
    } catch (IOException | GeneralSecurityException e) {
      throw unusable("strata.s3.tls.cert", file, reason(e));
    }
  }

  /** An unencrypted PKCS#8 key of the certificate's algorithm that matches its public key. */
  private static PrivateKey privateKey(Path file, PublicKey certificateKey) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw unusable("strata.s3.tls.key", file, reason(e));
    }
    Matcher m = PKCS8.matcher(pem);
    if (!m.find()) {
      String found = pem.contains("BEGIN ENCRYPTED PRIVATE KEY") ? "an encrypted key"
          : pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY") ? "a PKCS#1/SEC1 key"
          : "no private key";
      throw unusable("strata.s3.tls.key", file, found + " (expected: unencrypted PKCS#8, -----BEGIN PRIVATE KEY-----;"
          + " convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out key.pem)");
    }
    PrivateKey key;
    try {
      byte[] der = Base64.getMimeDecoder().decode(m.group(1));
      key = KeyFactory.getInstance(certificateKey.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw unusable("strata.s3.tls.key", file, "not a " + certificateKey.getAlgorithm()
          + " key as the certificate's (" + e.getClass().getSimpleName() + ")");
    }
    if (!belongTogether(key, certificateKey)) {
      throw unusable("strata.s3.tls.key", file, "it does not belong to the certificate in strata.s3.tls.cert");
    }
    return key;
  }

  /** Signs a probe with the key and checks it with the certificate's public key. */
  private static boolean belongTogether(PrivateKey key, PublicKey certificateKey) {
    String algorithm = switch (certificateKey.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "Ed448", "EdDSA" -> certificateKey.getAlgorithm();
      default -> null;
    };
    if (algorithm == null) {
      return true; // an algorithm this check does not know: the handshake will tell
    }
    try {
      byte[] probe = "strata".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificateKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static ConfigurationError unusable(String key, Path file, String reason) {
    return new ConfigurationError("invalid configuration: " + key + ": cannot use " + file.toAbsolutePath() + ": " + reason);
  }

  /** The exception's type and first line; exceptions about key material name files, not bytes. */
  private static String reason(Exception e) {
    String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
    return e.getClass().getSimpleName() + message;
  }
}
