package io.strata.proxy.s3;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Request ids like S3's: 16 upper-case hex digits, unique within a run and unlikely to repeat across runs. */
final class RequestIds {

  private static final long PREFIX = ThreadLocalRandom.current().nextLong() & 0xFFFFFFFF00000000L;
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private RequestIds() {}

  static String next() {
    return HexFormat.of().withUpperCase().toHexDigits(PREFIX | (SEQUENCE.incrementAndGet() & 0xFFFFFFFFL));
  }
}
