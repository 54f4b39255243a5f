package io.strata.proxy.s3;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.util.Locale;

/**
 * Which bucket names a request may address. A name that no S3 bucket can have is refused with
 * {@code 400 InvalidBucketName} before it reaches the cache or the upstream, where a filesystem
 * backend would otherwise turn {@code ..} or {@code /} into a path.
 *
 * <p>The rules are AWS's "General purpose bucket naming rules": 3–63 characters of letters,
 * digits, {@code .} and {@code -}, starting and ending with a letter or digit, no two adjacent
 * periods, not shaped like an IPv4 address, not starting with {@code xn--} or {@code sthree-}.
 * Lenient where both MinIO ({@code s3utils.CheckValidBucketName}) and s3proxy are, for buckets
 * created under the pre-2018 us-east-1 rules: upper-case letters and {@code _} are accepted. Like
 * MinIO, {@code .-} and {@code -.} are refused. The reserved suffixes ({@code -s3alias},
 * {@code --ol-s3}, {@code --x-s3}, {@code .mrap}) are not checked: they name access points and
 * directory buckets, which requests do address.
 */
final class BucketNames {

  static final int MIN_LENGTH = 3;
  static final int MAX_LENGTH = 63;

  private BucketNames() {}

  /** Throws {@code InvalidBucketName} naming the bucket unless {@link #isValid}. */
  static void requireValid(String bucket) {
    if (!isValid(bucket)) {
      throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME).with("BucketName", bucket);
    }
  }

  static boolean isValid(String name) {
    int length = name.length();
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      return false;
    }
    if (!isLetterOrDigit(name.charAt(0)) || !isLetterOrDigit(name.charAt(length - 1))) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = name.charAt(i);
      if (!isLetterOrDigit(c) && c != '.' && c != '-' && c != '_') {
        return false;
      }
    }
    if (name.contains("..") || name.contains(".-") || name.contains("-.")) {
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return !lower.startsWith("xn--") && !lower.startsWith("sthree-") && !looksLikeIpv4(name);
  }

  /** Four dot-separated runs of digits, e.g. {@code 192.168.5.4} (AWS and MinIO alike). */
  private static boolean looksLikeIpv4(String name) {
    String[] labels = name.split("\\.", -1);
    if (labels.length != 4) {
      return false;
    }
    for (String label : labels) {
      if (label.isEmpty() || !label.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
