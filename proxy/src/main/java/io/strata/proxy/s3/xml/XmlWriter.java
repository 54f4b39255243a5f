package io.strata.proxy.s3.xml;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * A minimal streaming XML writer for S3 response bodies: elements and escaped text only.
 *
 * <p>Escaping. {@code & < > " '} become entity references. XML 1.0 (§2.2 Char) cannot carry
 * most C0 controls, lone surrogates, U+FFFE or U+FFFF at all, not even as {@code &#x1;}
 * character references (well-formedness constraint "Legal Character", §4.1). S3 writes such keys
 * as numeric references anyway, and every strict parser (the AWS SDKs' StAX included) then fails
 * the whole listing; that is why S3 offers {@code encoding-type=url}. We choose to keep the
 * document parseable instead: TAB, LF and CR are written as {@code &#9; &#10; &#13;} so that
 * end-of-line normalisation (§2.11) cannot alter them, and every other illegal character becomes
 * U+FFFD. The one affected entry is then visibly wrong rather than the whole response unreadable;
 * clients that need such keys exactly ask for {@code encoding-type=url} (boto3 always does).
 */
final class XmlWriter {
  static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

  // AWS writes timestamps with milliseconds and a Z, e.g. 2009-10-12T17:50:30.000Z.
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final StringBuilder out = new StringBuilder(256)
      .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

  XmlWriter open(String name) {
    out.append('<').append(name).append('>');
    return this;
  }

  /** Opens the root element in the S3 namespace. */
  XmlWriter openNamespaced(String name) {
    out.append('<').append(name).append(" xmlns=\"").append(S3_NAMESPACE).append("\">");
    return this;
  }

  XmlWriter close(String name) {
    out.append("</").append(name).append('>');
    return this;
  }

  /** {@code <name>text</name>}; a null text writes an empty element. */
  XmlWriter element(String name, String text) {
    open(name);
    if (text != null) {
      escape(text, out);
    }
    return close(name);
  }

  XmlWriter element(String name, long value) {
    return open(name).raw(Long.toString(value)).close(name);
  }

  XmlWriter element(String name, boolean value) {
    return open(name).raw(Boolean.toString(value)).close(name);
  }

  XmlWriter element(String name, Instant value) {
    return open(name).raw(TIMESTAMP.format(value.truncatedTo(ChronoUnit.MILLIS))).close(name);
  }

  /** Escaped character data inside the current element. */
  XmlWriter text(String text) {
    escape(text, out);
    return this;
  }

  /** Writes the element only when the text is non-null. */
  XmlWriter optional(String name, String text) {
    return text == null ? this : element(name, text);
  }

  private XmlWriter raw(String s) {
    out.append(s);
    return this;
  }

  byte[] toBytes() {
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    escape(text, sb);
    return sb.toString();
  }

  private static void escape(String text, StringBuilder sb) {
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        case '\t' -> sb.append("&#9;");
        case '\n' -> sb.append("&#10;");
        case '\r' -> sb.append("&#13;");
        default -> {
          if (isXmlChar(cp)) {
            sb.appendCodePoint(cp);
          } else {
            sb.append('\uFFFD');
          }
        }
      }
    }
  }

  /** XML 1.0 §2.2 Char production. A lone surrogate arrives here as its own code point. */
  static boolean isXmlChar(int cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD
        || (cp >= 0x20 && cp <= 0xD7FF)
        || (cp >= 0xE000 && cp <= 0xFFFD)
        || (cp >= 0x10000 && cp <= 0x10FFFF);
  }
}
