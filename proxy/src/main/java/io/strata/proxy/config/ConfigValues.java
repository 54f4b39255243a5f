package io.strata.proxy.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the human-friendly sizes and durations of Strata's configuration. Every failure names
 * the key and the expected form in one line, because a misconfigured proxy must say exactly what
 * to fix at start-up rather than fail later on a request.
 */
public final class ConfigValues {

  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(b|kib|mib|gib|tib|kb|mb|gb|tb|k|m|g|t)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION =
      Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

  private ConfigValues() {}

  /**
   * A byte size such as {@code 10GiB}, {@code 512MiB}, {@code 64KiB} or a plain byte count.
   * Binary suffixes (KiB, MiB, GiB, TiB, and the short K, M, G, T) are powers of 1024; decimal
   * ones (KB, MB, GB, TB) are powers of 1000, as their names say.
   */
  public static long size(String key, String value) {
    String text = value == null ? "" : value.trim();
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw new ConfigurationError(
          key, value, "a size such as 10GiB, 512MiB, 1048576 (suffixes B, KiB, MiB, GiB, TiB, KB, MB, GB, TB)");
    }
    long multiplier =
        switch (m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT)) {
          case "b" -> 1L;
          case "kib", "k" -> 1L << 10;
          case "mib", "m" -> 1L << 20;
          case "gib", "g" -> 1L << 30;
          case "tib", "t" -> 1L << 40;
          case "kb" -> 1_000L;
          case "mb" -> 1_000_000L;
          case "gb" -> 1_000_000_000L;
          case "tb" -> 1_000_000_000_000L;
          default -> throw new IllegalStateException(m.group(2));
        };
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new ConfigurationError(key, value, "a size below 8 EiB");
    }
  }

  /** A duration such as {@code 5m}, {@code 30s}, {@code 250ms}, {@code 1h}, {@code 2d} or ISO-8601 {@code PT5M}. */
  public static Duration duration(String key, String value) {
    String text = value == null ? "" : value.trim();
    Matcher m = DURATION.matcher(text);
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        case "d" -> Duration.ofDays(amount);
        default -> throw new IllegalStateException(m.group(2));
      };
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new ConfigurationError(key, value, "a duration such as 5m, 30s, 250ms, 1h or PT5M");
    }
  }

  /** A TCP port, 0 meaning "any free port". */
  public static int port(String key, int value) {
    if (value < 0 || value > 65535) {
      throw new ConfigurationError(key, Integer.toString(value), "a port between 0 and 65535");
    }
    return value;
  }

  /** Fails unless {@code ok}. */
  public static void require(boolean ok, String key, Object value, String expected) {
    if (!ok) {
      throw new ConfigurationError(key, String.valueOf(value), expected);
    }
  }
}
