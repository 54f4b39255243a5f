package io.strata.proxy.s3;

import static io.strata.proxy.s3.Conditionals.Outcome.NOT_MODIFIED;
import static io.strata.proxy.s3.Conditionals.Outcome.PRECONDITION_FAILED;
import static io.strata.proxy.s3.Conditionals.Outcome.PROCEED;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.proxy.s3.Conditionals.Outcome;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConditionalsTest {
  private static final String ETAG = "\"d41d8cd98f00b204e9800998ecf8427e\"";
  private static final String OTHER = "\"0123456789abcdef0123456789abcdef\"";
  /** Stored with sub-second precision; served as Last-Modified truncated to the second. */
  private static final Instant MODIFIED = Instant.parse("2024-05-01T12:00:00.750Z");
  private static final String AT = "Wed, 01 May 2024 12:00:00 GMT";
  private static final String BEFORE = "Wed, 01 May 2024 11:59:59 GMT";
  private static final String AFTER = "Wed, 01 May 2024 12:00:01 GMT";

  private static Outcome eval(String im, String inm, String ims, String ius) {
    return Conditionals.evaluate(im, inm, ims, ius, ETAG, MODIFIED);
  }

  static Stream<Arguments> matrix() {
    return Stream.of(
        // ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince, expected
        Arguments.of(null, null, null, null, PROCEED),
        // If-Match alone
        Arguments.of(ETAG, null, null, null, PROCEED),
        Arguments.of(OTHER, null, null, null, PRECONDITION_FAILED),
        Arguments.of("*", null, null, null, PROCEED),
        // If-Unmodified-Since alone
        Arguments.of(null, null, null, AT, PROCEED),
        Arguments.of(null, null, null, AFTER, PROCEED),
        Arguments.of(null, null, null, BEFORE, PRECONDITION_FAILED),
        // AWS GetObject: If-Match true + If-Unmodified-Since false -> 200
        Arguments.of(ETAG, null, null, BEFORE, PROCEED),
        // If-Match false wins whatever If-Unmodified-Since says
        Arguments.of(OTHER, null, null, AFTER, PRECONDITION_FAILED),
        // If-None-Match alone
        Arguments.of(null, ETAG, null, null, NOT_MODIFIED),
        Arguments.of(null, OTHER, null, null, PROCEED),
        Arguments.of(null, "*", null, null, NOT_MODIFIED),
        // If-Modified-Since alone
        Arguments.of(null, null, AT, null, NOT_MODIFIED),
        Arguments.of(null, null, AFTER, null, NOT_MODIFIED),
        Arguments.of(null, null, BEFORE, null, PROCEED),
        // AWS GetObject: If-None-Match false + If-Modified-Since true -> 304
        Arguments.of(null, ETAG, BEFORE, null, NOT_MODIFIED),
        // If-None-Match true: If-Modified-Since is not consulted (RFC 9110 §13.2.2 step 4)
        Arguments.of(null, OTHER, AT, null, PROCEED),
        // 412 is decided before 304
        Arguments.of(OTHER, ETAG, null, null, PRECONDITION_FAILED),
        Arguments.of(null, ETAG, null, BEFORE, PRECONDITION_FAILED),
        Arguments.of(OTHER, null, AT, null, PRECONDITION_FAILED),
        // all true / all satisfied
        Arguments.of(ETAG, OTHER, BEFORE, AFTER, PROCEED),
        Arguments.of(ETAG, ETAG, BEFORE, AFTER, NOT_MODIFIED),
        Arguments.of(ETAG, null, AT, AFTER, NOT_MODIFIED),
        // unparseable dates are ignored
        Arguments.of(null, null, "not a date", null, PROCEED),
        Arguments.of(null, null, null, "not a date", PROCEED),
        Arguments.of(null, null, "", "  ", PROCEED),
        // blank entity-tag headers are treated as absent
        Arguments.of("", "", null, null, PROCEED));
  }

  @ParameterizedTest(name = "[{index}] im={0} inm={1} ims={2} ius={3}")
  @MethodSource("matrix")
  void evaluate_matrix(String im, String inm, String ims, String ius, Outcome expected) {
    assertThat(eval(im, inm, ims, ius)).isEqualTo(expected);
  }

  @Test
  void evaluate_unquotedAndWeakTagsCompareByOpaqueValue() {
    String bare = "d41d8cd98f00b204e9800998ecf8427e";
    assertThat(eval(bare, null, null, null)).isEqualTo(PROCEED);
    assertThat(eval("W/" + ETAG, null, null, null)).isEqualTo(PROCEED);
    assertThat(eval(null, "W/" + ETAG, null, null)).isEqualTo(NOT_MODIFIED);
    assertThat(Conditionals.evaluate(ETAG, null, null, null, bare, MODIFIED)).isEqualTo(PROCEED);
  }

  @Test
  void evaluate_listsMatchAnyMember() {
    assertThat(eval(OTHER + ", " + ETAG, null, null, null)).isEqualTo(PROCEED);
    assertThat(eval(OTHER + ",\"x\"", null, null, null)).isEqualTo(PRECONDITION_FAILED);
    assertThat(eval(null, "\"x\"," + ETAG, null, null)).isEqualTo(NOT_MODIFIED);
    assertThat(eval(null, " , ,\"x\" , " + OTHER + " ,", null, null)).isEqualTo(PROCEED);
    assertThat(eval("abc, d41d8cd98f00b204e9800998ecf8427e", null, null, null)).isEqualTo(PROCEED);
  }

  @Test
  void evaluate_multipartEtag() {
    String multipart = "\"9b2cf535f27731c974343645a3985328-3\"";
    assertThat(Conditionals.evaluate(multipart, null, null, null, multipart, MODIFIED))
        .isEqualTo(PROCEED);
    assertThat(Conditionals.evaluate("\"9b2cf535f27731c974343645a3985328\"", null, null, null,
        multipart, MODIFIED)).isEqualTo(PRECONDITION_FAILED);
  }

  @Test
  void evaluate_quotedStarIsNotWildcard() {
    assertThat(eval("\"*\"", null, null, null)).isEqualTo(PRECONDITION_FAILED);
    assertThat(eval(null, "\"*\"", null, null)).isEqualTo(PROCEED);
  }

  @Test
  void evaluate_commaInsideQuotedTagDoesNotSplit() {
    assertThat(Conditionals.evaluate("\"a,b\"", null, null, null, "\"a,b\"", MODIFIED))
        .isEqualTo(PROCEED);
    assertThat(Conditionals.evaluate("\"a,b\"", null, null, null, "\"a\"", MODIFIED))
        .isEqualTo(PRECONDITION_FAILED);
  }

  @Test
  void evaluate_unterminatedQuoteDoesNotThrow() {
    assertThat(eval("\"d41d8cd98f00b204e9800998ecf8427e", null, null, null)).isEqualTo(PROCEED);
    assertThat(eval("\"", null, null, null)).isEqualTo(PRECONDITION_FAILED);
  }

  @Test
  void evaluate_lastModifiedEchoedBackIsNotModified() {
    String echoed = HttpDates.format(MODIFIED);
    assertThat(eval(null, null, echoed, null)).isEqualTo(NOT_MODIFIED);
    assertThat(eval(null, null, null, echoed)).isEqualTo(PROCEED);
  }

  @Test
  void evaluate_obsoleteDateFormatsAccepted() {
    assertThat(eval(null, null, "Wednesday, 01-May-24 12:00:00 GMT", null))
        .isEqualTo(NOT_MODIFIED);
    assertThat(eval(null, null, "Wed May  1 11:59:59 2024", null)).isEqualTo(PROCEED);
  }

  @Test
  void evaluate_missingEtagMatchesOnlyWildcard() {
    assertThat(Conditionals.evaluate("*", null, null, null, null, MODIFIED)).isEqualTo(PROCEED);
    assertThat(Conditionals.evaluate(ETAG, null, null, null, null, MODIFIED))
        .isEqualTo(PRECONDITION_FAILED);
  }

  @Test
  void evaluate_missingLastModifiedIgnoresDates() {
    assertThat(Conditionals.evaluate(null, null, AFTER, BEFORE, ETAG, null)).isEqualTo(PROCEED);
  }
}
