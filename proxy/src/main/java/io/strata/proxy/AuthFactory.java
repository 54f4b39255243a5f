package io.strata.proxy;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.strata.proxy.config.AuthSettings;
import io.strata.proxy.config.CacheSettings;
import io.strata.proxy.config.ClientKeys;
import io.strata.proxy.config.ExtraCredential;
import io.strata.proxy.demo.DemoClientKeys;
import io.strata.proxy.s3.auth.CredentialStore;
import io.strata.proxy.s3.auth.RequestAuthenticator;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** The client key pairs ({@code strata.auth.*}) and the authenticator of the S3 endpoint. */
@Factory
final class AuthFactory {

  /**
   * The configured pairs; a {@code --demo} run without any makes (or reuses) one of its own, so a
   * demo is signed like a deployment.
   */
  @Singleton
  ClientKeys clientKeys(AuthSettings auth, List<ExtraCredential> extra, CacheSettings cache,
      @Value("${strata.demo:false}") boolean demo) {
    if (demo && !ClientKeys.configured(auth, extra)) {
      DemoClientKeys keys = DemoClientKeys.loadOrCreate(cache.directory());
      return new ClientKeys(Map.of(keys.accessKey(), keys.secretKey()), false, true, null);
    }
    return ClientKeys.from(auth, extra);
  }

  @Singleton
  RequestAuthenticator requestAuthenticator(ClientKeys keys, Clock clock) {
    return new RequestAuthenticator(CredentialStore.of(keys.secretsByAccessKey()), clock,
        keys.anonymous(), keys.region());
  }
}
