package io.strata.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The origin and host comparisons behind the admin port's cross-site and DNS-rebinding checks. */
class SameOriginFilterTest {

  @Test
  void sameOrigin_comparesSchemeHostAndPort() {
    assertThat(SameOriginFilter.sameOrigin("http://127.0.0.1:9101", "http://127.0.0.1:9101")).isTrue();
    assertThat(SameOriginFilter.sameOrigin("HTTP://LocalHost:9101", "http://localhost:9101")).isTrue();
    assertThat(SameOriginFilter.sameOrigin("http://admin.internal", "http://admin.internal:80")).isTrue();
    assertThat(SameOriginFilter.sameOrigin("https://admin.internal", "https://admin.internal:443")).isTrue();
    assertThat(SameOriginFilter.sameOrigin("http://[::1]:9101", "http://[::1]:9101")).isTrue();

    assertThat(SameOriginFilter.sameOrigin("http://127.0.0.1:8080", "http://127.0.0.1:9101")).isFalse();
    assertThat(SameOriginFilter.sameOrigin("https://127.0.0.1:9101", "http://127.0.0.1:9101")).isFalse();
    assertThat(SameOriginFilter.sameOrigin("http://localhost:9101", "http://127.0.0.1:9101")).isFalse();
    assertThat(SameOriginFilter.sameOrigin("http://evil.example", "http://127.0.0.1:9101")).isFalse();
    assertThat(SameOriginFilter.sameOrigin("null", "http://127.0.0.1:9101")).isFalse();
    assertThat(SameOriginFilter.sameOrigin("http://127.0.0.1:9101/path", "http://127.0.0.1:9101")).isFalse();
    assertThat(SameOriginFilter.sameOrigin("http://127.0.0.1:9101", "http://null")).isFalse();
    assertThat(SameOriginFilter.sameOrigin("http://a b", "http://127.0.0.1:9101")).isFalse();
  }

  @Test
  void namesLoopback_acceptsLoopbackLiteralsAndLocalhost_withoutResolving() {
    assertThat(SameOriginFilter.namesLoopback("127.0.0.1:9101")).isTrue();
    assertThat(SameOriginFilter.namesLoopback("127.1.2.3")).isTrue();
    assertThat(SameOriginFilter.namesLoopback("localhost:9101")).isTrue();
    assertThat(SameOriginFilter.namesLoopback("LOCALHOST")).isTrue();
    assertThat(SameOriginFilter.namesLoopback("strata.localhost:9101")).isTrue();
    assertThat(SameOriginFilter.namesLoopback("[::1]:9101")).isTrue();
    assertThat(SameOriginFilter.namesLoopback("[0:0:0:0:0:0:0:1]")).isTrue();

    assertThat(SameOriginFilter.namesLoopback("evil.example:9101")).isFalse();
    assertThat(SameOriginFilter.namesLoopback("127.0.0.1.evil.example")).isFalse();
    assertThat(SameOriginFilter.namesLoopback("localhost.evil.example")).isFalse();
    assertThat(SameOriginFilter.namesLoopback("10.0.0.5:9101")).isFalse();
    assertThat(SameOriginFilter.namesLoopback("[::]:9101")).isFalse();
    assertThat(SameOriginFilter.namesLoopback("[fe80::1]")).isFalse();
    assertThat(SameOriginFilter.namesLoopback("[localhost]")).isFalse();
  }

  @Test
  void isLoopback_bindAddresses() {
    assertThat(AdminAccess.isLoopback("127.0.0.1")).isTrue();
    assertThat(AdminAccess.isLoopback("::1")).isTrue();
    assertThat(AdminAccess.isLoopback("[::1]")).isTrue();
    assertThat(AdminAccess.isLoopback("localhost")).isTrue();
    assertThat(AdminAccess.isLoopback("0.0.0.0")).isFalse();
    assertThat(AdminAccess.isLoopback("::")).isFalse();
    assertThat(AdminAccess.isLoopback("")).isFalse();
    assertThat(AdminAccess.isLoopback(null)).isFalse();
    assertThat(AdminAccess.isLoopback("192.168.1.20")).isFalse();
  }
}
