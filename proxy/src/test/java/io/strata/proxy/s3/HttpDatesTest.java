package io.strata.proxy.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpDatesTest {
  private static final Instant RFC_EXAMPLE = Instant.parse("1994-11-06T08:49:37Z");

  @Test
  void now_isTheCurrentSecond_formatted() {
    Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Instant now = HttpDates.parse(HttpDates.now()).orElseThrow();
    Instant after = Instant.now();
    assertThat(now).isBetween(before, after);
  }

  @Test
  void format_imfFixdate() {
    assertThat(HttpDates.format(RFC_EXAMPLE)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
  }

  @Test
  void format_twoDigitDayAndDroppedMillis() {
    assertThat(HttpDates.format(Instant.parse("2008-06-03T11:05:30.999Z")))
        .isEqualTo("Tue, 03 Jun 2008 11:05:30 GMT");
  }

  @Test
  void parse_roundTripsFormat() {
    Instant t = Instant.parse("2024-02-29T23:59:59Z");
    assertThat(HttpDates.parse(HttpDates.format(t))).contains(t);
  }

  @Test
  void parse_imfFixdate() {
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).contains(RFC_EXAMPLE);
  }

  @Test
  void parse_rfc850() {
    assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT", 2025)).contains(RFC_EXAMPLE);
  }

  @Test
  void parse_asctime() {
    assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).contains(RFC_EXAMPLE);
    assertThat(HttpDates.parse("Sun Nov 16 08:49:37 1994"))
        .contains(Instant.parse("1994-11-16T08:49:37Z"));
  }

  @Test
  void parse_oneDigitDayAndSurroundingSpaceTolerated() {
    assertThat(HttpDates.parse(" Sun, 6 Nov 1994 08:49:37 GMT ")).contains(RFC_EXAMPLE);
  }

  @Test
  void parse_wrongWeekdayStillParses() {
    assertThat(HttpDates.parse("Mon, 06 Nov 1994 08:49:37 GMT")).contains(RFC_EXAMPLE);
  }

  @Test
  void parse_caseInsensitiveMonth() {
    assertThat(HttpDates.parse("sun, 06 NOV 1994 08:49:37 gmt")).contains(RFC_EXAMPLE);
  }

  @Test
  void fullYear_moreThanFiftyYearsAheadIsLastCentury() {
    assertThat(HttpDates.fullYear(94, 2025)).isEqualTo(1994);
    assertThat(HttpDates.fullYear(75, 2025)).isEqualTo(2075);
    assertThat(HttpDates.fullYear(76, 2025)).isEqualTo(1976);
    assertThat(HttpDates.fullYear(25, 2025)).isEqualTo(2025);
    assertThat(HttpDates.fullYear(0, 2099)).isEqualTo(2100);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "yesterday", "2024-01-01T00:00:00Z", "Sun, 06 Nov 1994 08:49:37 UTC",
      "Sun, 06 Nov 1994 08:49:37 +0000", "Sun, 31 Feb 1994 08:49:37 GMT",
      "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
      "Sun, 06 Nov 94 08:49:37 GMT",
      "1700000000"})
  void parse_invalidIsEmpty(String value) {
    assertThat(HttpDates.parse(value)).isEmpty();
  }

  @Test
  void parse_nullIsEmpty() {
    assertThat(HttpDates.parse(null)).isEmpty();
  }
}
