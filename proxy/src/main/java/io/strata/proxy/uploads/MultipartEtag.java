package io.strata.proxy.uploads;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The ETag S3 gives an object uploaded in parts of the given sizes: the MD5 of the concatenated
 * binary MD5s of the parts, then "-" and the number of parts. Computed from a local file so a
 * delivery can recognise its own upload upstream after a crash.
 */
final class MultipartEtag {

  private MultipartEtag() {}

  static String of(Path file, List<Long> partSizes) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest ofParts = md5();
      byte[] buffer = new byte[256 * 1024];
      for (long size : partSizes) {
        MessageDigest part = md5();
        long left = size;
        while (left > 0) {
          int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
          if (n < 0) {
            throw new IOException(file + " is shorter than its parts");
          }
          part.update(buffer, 0, n);
          left -= n;
        }
        ofParts.update(part.digest());
      }
      return '"' + HexFormat.of().formatHex(ofParts.digest()) + "-" + partSizes.size() + '"';
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }
}
