package io.strata.proxy.upstream;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Upstream credentials when none are configured: the AWS default chain (system properties,
 * environment, web identity, profile, container and instance roles), or, when the chain finds
 * nothing, no credentials at all, so a public bucket or an unauthenticated MinIO still works. The
 * SDK sends requests unsigned when the credentials are anonymous.
 *
 * <p>Why not decide once at start-up: a role the chain cannot reach yet (web identity while the
 * network is down, an instance profile still attaching) must not leave Strata unsigned for good.
 * Why not ask the chain on every request: a chain that finds nothing tries the instance metadata
 * endpoint each time, which off EC2 can take a second. So a miss is remembered for
 * {@link #RECHECK} and the chain asked again after that. Found credentials are the chain's own,
 * refreshed by the SDK as roles rotate. Each change between signed and anonymous is logged once.
 */
final class DefaultChainOrAnonymous implements AwsCredentialsProvider, SdkAutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DefaultChainOrAnonymous.class);
  /** How long "the chain found nothing" is trusted before the chain is asked again. */
  static final Duration RECHECK = Duration.ofMinutes(1);

  private enum State { UNKNOWN, SIGNED, ANONYMOUS }

  private final AwsCredentialsProvider chain;
  private final AwsCredentials anonymous = AnonymousCredentialsProvider.create().resolveCredentials();
  private final Clock clock;
  /** Until when requests go unsigned without asking the chain. */
  private volatile Instant anonymousUntil = Instant.MIN;
  /** The last state logged. Guarded by {@code this}. */
  private State logged = State.UNKNOWN;

  DefaultChainOrAnonymous(AwsCredentialsProvider chain, Clock clock) {
    this.chain = requireNonNull(chain, "chain");
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public AwsCredentials resolveCredentials() {
    if (clock.instant().isBefore(anonymousUntil)) {
      return anonymous;
    }
    try {
      AwsCredentials credentials = chain.resolveCredentials();
      changedTo(State.SIGNED, null);
      return credentials;
    } catch (SdkClientException e) {
      anonymousUntil = clock.instant().plus(RECHECK);
      changedTo(State.ANONYMOUS, e);
      return anonymous;
    }
  }

  private synchronized void changedTo(State state, SdkClientException failure) {
    if (state == logged) {
      return;
    }
    logged = state;
    if (state == State.SIGNED) {
      // no key, not even the access key id: the log may travel further than the secret store
      log.info("upstream requests are signed with credentials from the AWS default chain");
    } else {
      log.warn("no upstream credentials: strata.upstream.access-key is not set and the AWS default chain found"
          + " none (system properties, environment, web identity, profile, container, instance role);"
          + " upstream requests are sent unsigned (anonymous), and the chain is asked again every {}s",
          RECHECK.toSeconds());
      log.debug("AWS default chain: {}", failure.getMessage());
    }
  }

  @Override
  public void close() {
    if (chain instanceof SdkAutoCloseable closeable) {
      closeable.close();
    }
  }
}
