package io.strata.proxy.s3.body;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The additional checksums S3 accepts on uploads ("Checking object integrity in Amazon S3",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html). Values
 * travel as base64 of the big-endian checksum bytes, in {@code x-amz-checksum-<name>} headers or
 * trailers.
 */
enum PayloadChecksum {
  /** CRC-32 (ISO-HDLC), 4 bytes. */
  CRC32(4),
  /** CRC-32C (Castagnoli), 4 bytes. */
  CRC32C(4),
  /** CRC-64/NVME, 8 bytes; S3's default for full-object checksums. */
  CRC64NVME(8),
  /** SHA-1, 20 bytes. */
  SHA1(20),
  /** SHA-256, 32 bytes. */
  SHA256(32);

  private static final String HEADER_PREFIX = "x-amz-checksum-";

  private final int length;

  PayloadChecksum(int length) {
    this.length = length;
  }

  /** Bytes in a value of this checksum, e.g. 4 for CRC32. */
  int length() {
    return length;
  }

  /** The header (and trailer) name, e.g. {@code x-amz-checksum-crc32c}. */
  String headerName() {
    return HEADER_PREFIX + name().toLowerCase(Locale.ROOT);
  }

  /** Parses an algorithm name as S3 spells it ({@code CRC32C}), case-insensitively. */
  static Optional<PayloadChecksum> named(String name) {
    for (PayloadChecksum c : values()) {
      if (c.name().equalsIgnoreCase(name.trim())) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The algorithm an {@code x-amz-checksum-*} header or trailer name stands for, if any. */
  static Optional<PayloadChecksum> forHeader(String lowerCaseName) {
    if (!lowerCaseName.startsWith(HEADER_PREFIX)) {
      return Optional.empty();
    }
    // x-amz-checksum-type / -algorithm share the prefix; only algorithm names match here.
    return named(lowerCaseName.substring(HEADER_PREFIX.length()));
  }

  /** A running computation of this checksum. */
  Hasher newHasher() {
    return switch (this) {
      case CRC32 -> new CrcHasher(new CRC32(), 4);
      case CRC32C -> new CrcHasher(new CRC32C(), 4);
      case CRC64NVME -> new CrcHasher(new Crc64Nvme(), 8);
      case SHA1 -> new DigestHasher(digest("SHA-1"));
      case SHA256 -> new DigestHasher(digest("SHA-256"));
    };
  }

  static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has " + algorithm, e);
    }
  }

  /** Incremental checksum; {@link #finish} gives the big-endian bytes S3 base64-encodes. */
  interface Hasher {
    void update(byte[] b, int off, int len);

    byte[] finish();
  }

  private record CrcHasher(Checksum crc, int bytes) implements Hasher {
    @Override
    public void update(byte[] b, int off, int len) {
      crc.update(b, off, len);
    }

    @Override
    public byte[] finish() {
      byte[] eight = ByteBuffer.allocate(8).putLong(crc.getValue()).array();
      return java.util.Arrays.copyOfRange(eight, 8 - bytes, 8);
    }
  }

  private record DigestHasher(MessageDigest digest) implements Hasher {
    @Override
    public void update(byte[] b, int off, int len) {
      digest.update(b, off, len);
    }

    @Override
    public byte[] finish() {
      return digest.digest();
    }
  }
}
