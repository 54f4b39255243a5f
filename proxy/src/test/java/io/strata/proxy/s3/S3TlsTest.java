package io.strata.proxy.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.proxy.config.ConfigurationError;
import io.strata.proxy.config.S3TlsConfig;
import io.strata.proxy.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code strata.s3.tls.*} accepts, and the one-line errors for what it does not. */
class S3TlsTest {

  @TempDir Path dir;

  @Test
  void unset_isPlainHttp() {
    S3Tls tls = new S3Tls(new S3TlsConfig(null, null));
    assertThat(tls.scheme()).isEqualTo("http");
    assertThat(tls.newHandler()).isEmpty();
  }

  @Test
  void certAndPkcs8Key_makeHttps() {
    TestCertificates.Pem pem = TestCertificates.selfSigned(dir, "server");
    S3Tls tls = new S3Tls(new S3TlsConfig(pem.certFile().toString(), pem.keyFile().toString()));
    assertThat(tls.scheme()).isEqualTo("https");
    assertThat(tls.newHandler()).get().isInstanceOf(HttpsOnly.class);
  }

  @Test
  void onlyOneOfTheTwo_namesTheMissingKey() {
    TestCertificates.Pem pem = TestCertificates.selfSigned(dir, "server");
    assertThatThrownBy(() -> new S3Tls(new S3TlsConfig(pem.certFile().toString(), null)))
        .isInstanceOf(ConfigurationError.class)
        .hasMessage("invalid configuration: strata.s3.tls.key is not set"
            + " (expected: both strata.s3.tls.cert and strata.s3.tls.key, or neither)");
    assertThatThrownBy(() -> new S3Tls(new S3TlsConfig(" ", pem.keyFile().toString())))
        .hasMessageContaining("strata.s3.tls.cert is not set");
  }

  @Test
  void missingFile_namesKeyFileAndReason() {
    TestCertificates.Pem pem = TestCertificates.selfSigned(dir, "server");
    Path missing = dir.resolve("nope.crt");
    assertThatThrownBy(() -> new S3Tls(new S3TlsConfig(missing.toString(), pem.keyFile().toString())))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageStartingWith("invalid configuration: strata.s3.tls.cert: cannot use " + missing)
        .hasMessageContaining("NoSuchFileException");
  }

  @Test
  void notACertificate_isRefused() throws Exception {
    TestCertificates.Pem pem = TestCertificates.selfSigned(dir, "server");
    Path junk = Files.writeString(dir.resolve("junk.crt"), "hello\n");
    assertThatThrownBy(() -> new S3Tls(new S3TlsConfig(junk.toString(), pem.keyFile().toString())))
        .hasMessageStartingWith("invalid configuration: strata.s3.tls.cert: cannot use " + junk);
  }

  @Test
  void pkcs1Key_getsTheConversionHint_withoutItsContent() throws Exception {
    TestCertificates.Pem pem = TestCertificates.selfSigned(dir, "server");
    byte[] keyBytes = pem.keys().getPrivate().getEncoded();
    Path pkcs1 = Files.writeString(dir.resolve("rsa.key"), TestCertificates.pem("RSA PRIVATE KEY", keyBytes));
    assertThatThrownBy(() -> new S3Tls(new S3TlsConfig(pem.certFile().toString(), pkcs1.toString())))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("strata.s3.tls.key: cannot use " + pkcs1)
        .hasMessageContaining("a PKCS#1/SEC1 key")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(Base64.getEncoder().encodeToString(keyBytes).substring(0, 16)));
    Path encrypted = Files.writeString(dir.resolve("enc.key"), TestCertificates.pem("ENCRYPTED PRIVATE KEY", keyBytes));
    assertThatThrownBy(() -> new S3Tls(new S3TlsConfig(pem.certFile().toString(), encrypted.toString())))
        .hasMessageContaining("an encrypted key");
  }

  @Test
  void keyOfAnotherCertificate_isRefused() {
    TestCertificates.Pem one = TestCertificates.selfSigned(dir, "one");
    TestCertificates.Pem other = TestCertificates.selfSigned(dir, "other");
    assertThatThrownBy(() -> new S3Tls(new S3TlsConfig(one.certFile().toString(), other.keyFile().toString())))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("strata.s3.tls.key: cannot use " + other.keyFile())
        .hasMessageContaining("does not belong to the certificate");
  }

  @Test
  void garbledKey_isRefusedWithoutItsContent() throws Exception {
    TestCertificates.Pem pem = TestCertificates.selfSigned(dir, "server");
    Path garbled = Files.writeString(dir.resolve("garbled.key"), "-----BEGIN PRIVATE KEY-----\nQUJDREVGR0hJSktMTU5PUA==\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> new S3Tls(new S3TlsConfig(pem.certFile().toString(), garbled.toString())))
        .hasMessageContaining("strata.s3.tls.key: cannot use " + garbled)
        .hasMessageContaining("not a EC key")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("QUJDREVG"));
  }
}
