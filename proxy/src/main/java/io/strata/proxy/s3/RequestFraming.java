package io.strata.proxy.s3;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Whether a request head can be answered at all: decoded whole, within the size limits, HTTP/1.x,
 * free of control characters in header values, and with exactly one reading of where its body
 * ends (RFC 9112 §6). A request refused here is answered
 * and its connection closed, since the bytes after it cannot be trusted to start a request.
 */
final class RequestFraming {

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
  private static final String CHUNKED = "chunked";

  private RequestFraming() {}

  /** The error to answer {@code request} with, or null when it may be served. */
  static S3Exception check(HttpRequest request) {
    DecoderResult result = request.decoderResult();
    if (result.isFailure()) {
      return fromDecoder(result.cause());
    }
    if (request.protocolVersion().majorVersion() != 1) {
      return invalid("Only HTTP/1.1 and HTTP/1.0 are served, not " + request.protocolVersion().text());
    }
    HttpHeaders headers = request.headers();
    for (Map.Entry<String, String> header : headers) {
      if (hasControlCharacter(header.getValue())) {
        // RFC 9110 §5.5: CR, LF and NUL in a field value are invalid; the other controls are not
        // field-vchar either. Such values would reach the upstream in metadata and signatures.
        return invalid("Header " + header.getKey() + " contains a control character");
      }
    }
    List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
    // Netty accepts a sign in Content-Length. It refuses repeated values only in HTTP/1.1 and
    // keeps the first otherwise, which is why S3Handler never keeps an HTTP/1.0 connection open.
    if (lengths.size() > 1 || (lengths.size() == 1 && !DIGITS.matcher(lengths.get(0).strip()).matches())) {
      return invalid("Content-Length must be a single decimal number");
    }
    List<String> transferEncodings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (transferEncodings.isEmpty()) {
      return null;
    }
    if (!lengths.isEmpty()) {
      return invalid("A request must not carry both Content-Length and Transfer-Encoding");
    }
    if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
      return invalid("Transfer-Encoding is not defined for HTTP/1.0");
    }
    List<String> codings = codings(transferEncodings);
    if (codings.isEmpty() || !codings.get(codings.size() - 1).equals(CHUNKED)
        || codings.indexOf(CHUNKED) != codings.size() - 1) {
      // RFC 9112 §6.1: chunked must be final, and applied once; otherwise the length is unknown.
      return invalid("Transfer-Encoding must end with chunked, applied once");
    }
    if (codings.size() > 1) {
      // RFC 9112 §6.1: a transfer coding the server does not understand is 501.
      return new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
          "Transfer codings other than chunked are not implemented: " + String.join(", ", codings));
    }
    return null;
  }

  private static S3Exception fromDecoder(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return new S3Exception(S3ErrorCode.REQUEST_URI_TOO_LONG,
          "The request line is longer than " + StrictRequestDecoder.MAX_REQUEST_LINE_BYTES + " bytes");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new S3Exception(S3ErrorCode.REQUEST_HEADER_SECTION_TOO_LARGE)
          .with("MaxSizeAllowed", Integer.toString(StrictRequestDecoder.MAX_HEADER_BYTES));
    }
    if (cause instanceof StrictRequestDecoder.ConflictingFramingException) {
      return invalid("A request must not carry both Content-Length and Transfer-Encoding");
    }
    String detail = cause == null || cause.getMessage() == null ? "" : ": " + ObjectKeys.abbreviate(cause.getMessage());
    return invalid("The request could not be parsed as HTTP/1.1" + detail);
  }

  private static boolean hasControlCharacter(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        return true;
      }
    }
    return false;
  }

  private static List<String> codings(List<String> fields) {
    List<String> codings = new ArrayList<>();
    for (String field : fields) {
      for (String coding : field.split(",", -1)) {
        String name = coding.strip().toLowerCase(Locale.ROOT);
        if (!name.isEmpty()) {
          codings.add(name);
        }
      }
    }
    return codings;
  }

  private static S3Exception invalid(String message) {
    return new S3Exception(S3ErrorCode.INVALID_REQUEST, message);
  }
}
