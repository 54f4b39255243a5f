package io.strata.proxy.config;

/** A configuration value Strata cannot start with; the message is the one line printed at exit. */
public final class ConfigurationError extends RuntimeException {

  public ConfigurationError(String key, String value, String expected) {
    super("invalid configuration: " + key + ": '" + value + "' (expected: " + expected + ")");
  }

  public ConfigurationError(String message) {
    super(message);
  }
}
