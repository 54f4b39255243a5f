package io.strata.proxy.upstream;

/** The upstream could not be reached (connection refused, timed out, DNS, TLS) or is known offline. */
public final class UpstreamUnavailableException extends RuntimeException {

  public UpstreamUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
