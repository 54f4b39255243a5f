package io.strata.proxy.s3;

import static java.util.Objects.requireNonNull;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP-dates (RFC 9110 §5.6.7): formats IMF-fixdate, parses all three formats a recipient must
 * accept.
 *
 * <p>{@link DateTimeFormatter#RFC_1123_DATE_TIME} is not used for formatting because it writes a
 * one-digit day ({@code Tue, 3 Jun 2008}), which is not IMF-fixdate. Parsing is by pattern and
 * does not cross-check the day name against the date, so a sender's wrong weekday does not turn a
 * condition off.
 */
public final class HttpDates {
  private HttpDates() {}

  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private static final List<String> MONTH_NAMES = List.of(
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
  private static final String MONTHS = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
  private static final String TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
  /** {@code Sun, 06 Nov 1994 08:49:37 GMT}; a one-digit day is tolerated. */
  private static final Pattern IMF = Pattern.compile(
      "[A-Za-z]{3}, (\\d{1,2}) " + MONTHS + " (\\d{4}) " + TIME + " GMT",
      Pattern.CASE_INSENSITIVE);
  /** Obsolete RFC 850: {@code Sunday, 06-Nov-94 08:49:37 GMT}. */
  private static final Pattern RFC_850 = Pattern.compile(
      "[A-Za-z]{6,9}, (\\d{2})-" + MONTHS + "-(\\d{2}) " + TIME + " GMT",
      Pattern.CASE_INSENSITIVE);
  /** Obsolete asctime: {@code Sun Nov  6 08:49:37 1994}. */
  private static final Pattern ASCTIME = Pattern.compile(
      "[A-Za-z]{3} " + MONTHS + " ([ \\d]\\d) " + TIME + " (\\d{4})",
      Pattern.CASE_INSENSITIVE);

  /** Formats an Instant as an HTTP-date (IMF-fixdate, GMT) for Last-Modified; drops sub-seconds. */
  public static String format(Instant t) {
    requireNonNull(t, "t");
    return IMF_FIXDATE.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /** The Date header of every response: formatted once per second, not once per request. */
  private static volatile Formatted current = new Formatted(Long.MIN_VALUE, "");

  private record Formatted(long epochSecond, String value) {}

  /** The current time as an HTTP-date, for the {@code Date} header. */
  public static String now() {
    long second = Instant.now().getEpochSecond();
    Formatted latest = current;
    if (latest.epochSecond() != second) {
      latest = new Formatted(second, format(Instant.ofEpochSecond(second)));
      current = latest;
    }
    return latest.value();
  }

  /** Parses any of the three HTTP-date formats; empty if the value is none of them. */
  public static Optional<Instant> parse(String s) {
    return parse(s, LocalDateTime.now(ZoneOffset.UTC).getYear());
  }

  /** As {@link #parse(String)}, resolving RFC 850 two-digit years against {@code currentYear}. */
  static Optional<Instant> parse(String s, int currentYear) {
    if (s == null) {
      return Optional.empty();
    }
    String v = s.strip();
    try {
      Matcher m = IMF.matcher(v);
      if (m.matches()) {
        return of(Integer.parseInt(m.group(3)), m.group(2), m.group(1), m, 4);
      }
      m = RFC_850.matcher(v);
      if (m.matches()) {
        return of(fullYear(Integer.parseInt(m.group(3)), currentYear), m.group(2), m.group(1), m,
            4);
      }
      m = ASCTIME.matcher(v);
      if (m.matches()) {
        return of(Integer.parseInt(m.group(6)), m.group(1), m.group(2).strip(), m, 3);
      }
    } catch (DateTimeException e) {
      // Matched the shape but not a real date (31 Feb, 25:00): unparseable, so ignored.
    }
    return Optional.empty();
  }

  /**
   * RFC 9110 §5.6.7: a two-digit year that "appears to be more than 50 years in the future" is
   * the most recent past year with the same last two digits. Symmetrically, one more than 50
   * years in the past is taken in the next century, so the window is the century around now.
   */
  static int fullYear(int twoDigits, int currentYear) {
    int year = currentYear - Math.floorMod(currentYear, 100) + twoDigits;
    if (year > currentYear + 50) {
      return year - 100;
    }
    return year <= currentYear - 50 ? year + 100 : year;
  }

  private static Optional<Instant> of(int year, String month, String day, Matcher m,
      int timeGroup) {
    int monthNumber = MONTH_NAMES.indexOf(month.toLowerCase(Locale.ROOT)) + 1;
    LocalDateTime t = LocalDateTime.of(year, monthNumber, Integer.parseInt(day),
        Integer.parseInt(m.group(timeGroup)), Integer.parseInt(m.group(timeGroup + 1)),
        Integer.parseInt(m.group(timeGroup + 2)));
    return Optional.of(t.toInstant(ZoneOffset.UTC));
  }
}
