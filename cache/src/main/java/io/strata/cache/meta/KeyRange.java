package io.strata.cache.meta;

/**
 * Prefix queries as key ranges. S3 sorts keys by their UTF-8 bytes, and so does SQLite's default
 * BINARY collation on TEXT; UTF-8 byte order is code point order. The keys starting with
 * {@code prefix} are therefore exactly {@code prefix <= key < prefixEnd(prefix)}.
 *
 * <p>Why not {@code LIKE}: {@code %} and {@code _} are legal in keys, and LIKE is case-insensitive
 * for ASCII. Why not {@code substr(key, 1, length(?))}: it cannot use the primary key index, and
 * SQLite's {@code length()} stops at the first NUL.
 */
final class KeyRange {

  private KeyRange() {}

  /**
   * The smallest string greater than every string that starts with {@code prefix}, or null when
   * there is none (the prefix is empty or made only of U+10FFFF).
   */
  static String prefixEnd(String prefix) {
    int[] codePoints = prefix.codePoints().toArray();
    for (int i = codePoints.length - 1; i >= 0; i--) {
      if (codePoints[i] < Character.MAX_CODE_POINT) {
        int next = codePoints[i] + 1;
        // Surrogates are not characters and never appear in UTF-8; skip over them.
        if (next == Character.MIN_SURROGATE) {
          next = Character.MAX_SURROGATE + 1;
        }
        return new String(codePoints, 0, i) + Character.toString(next);
      }
    }
    return null;
  }
}
