package io.strata.cache.common;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes user metadata ({@code x-amz-meta-*}) as a flat JSON object of strings, so the column
 * stays readable with the {@code sqlite3} shell and its JSON functions. A full JSON library is not
 * worth a dependency for one string-to-string map.
 */
public final class FlatJson {

  private FlatJson() {}

  public static String encode(Map<String, String> map) {
    StringBuilder out = new StringBuilder("{");
    // Sorted, so equal maps give equal text.
    for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      quote(e.getKey(), out);
      out.append(':');
      quote(e.getValue(), out);
    }
    return out.append('}').toString();
  }

  public static Map<String, String> decode(String json) {
    Parser p = new Parser(json);
    Map<String, String> map = new LinkedHashMap<>();
    p.expect('{');
    if (!p.tryConsume('}')) {
      do {
        String key = p.string();
        p.expect(':');
        map.put(key, p.string());
      } while (p.tryConsume(','));
      p.expect('}');
    }
    p.end();
    return map;
  }

  private static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    void expect(char c) {
      if (!tryConsume(c)) {
        throw error("'" + c + "'");
      }
    }

    boolean tryConsume(char c) {
      skipWhitespace();
      if (pos < text.length() && text.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }

    void end() {
      skipWhitespace();
      if (pos != text.length()) {
        throw error("end of text");
      }
    }

    String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (c == '"') {
          return out.toString();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (pos >= text.length()) {
          break;
        }
        char escaped = text.charAt(pos++);
        switch (escaped) {
          case '"', '\\', '/' -> out.append(escaped);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            if (pos + 4 > text.length()) {
              throw error("4 hex digits");
            }
            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
            pos += 4;
          }
          default -> throw error("an escape character");
        }
      }
      throw error("'\"'");
    }

    private void skipWhitespace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private IllegalArgumentException error(String expected) {
      return new IllegalArgumentException(
          "user metadata: malformed at " + pos + " (expected: " + expected + ")");
    }
  }
}
