package io.strata.proxy.s3.body;

import java.util.zip.Checksum;

/**
 * CRC-64/NVME, the CRC64NVME of S3 checksums: polynomial 0xad93d23594c93659 (bit-reflected
 * 0x9a6c9329ac4bc9b5), reflected input and output, initial value and final XOR all ones — the
 * parameters of the reveng catalogue entry and of awslabs/aws-checksums {@code crc64nvme}, whose
 * test vector for 32 zero bytes (0xcf3473434d4ecf3b) {@code Crc64NvmeTest} checks.
 *
 * <p>Table-driven, one byte at a time: S3 bodies are disk- and network-bound, and this keeps the
 * code obviously correct.
 */
final class Crc64Nvme implements Checksum {
  private static final long REFLECTED_POLY = 0x9a6c9329ac4bc9b5L;
  private static final long[] TABLE = new long[256];

  static {
    for (int i = 0; i < 256; i++) {
      long crc = i;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ REFLECTED_POLY : crc >>> 1;
      }
      TABLE[i] = crc;
    }
  }

  private long crc = ~0L;

  @Override
  public void update(int b) {
    crc = TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
  }

  @Override
  public void update(byte[] b, int off, int len) {
    long c = crc;
    for (int i = off, end = off + len; i < end; i++) {
      c = TABLE[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
    }
    crc = c;
  }

  @Override
  public long getValue() {
    return ~crc;
  }

  @Override
  public void reset() {
    crc = ~0L;
  }
}
