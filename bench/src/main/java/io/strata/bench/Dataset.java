package io.strata.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The objects a run reads, uploaded straight to the upstream (which needs no signature). Every
 * scenario that measures a cold read gets objects no cache has seen.
 */
final class Dataset {

  static final String BUCKET = "bench";
  /** Scenarios 1 and 2: read warm through both caches. */
  static final String HOT = "hot/ranges.bin";

  private Dataset() {}

  static String path(String key) {
    return "/" + BUCKET + "/" + key;
  }

  static String coldKey(int round) {
    return "cold/object-" + round + ".bin";
  }

  static String coalescingKey(String party) {
    return "coalescing/" + party + ".bin";
  }

  static void createBucket(Endpoints endpoints) throws IOException {
    try (HttpConnection c = new HttpConnection(endpoints.upstream())) {
      HttpConnection.Response r = c.put("/" + BUCKET, new ByteArrayInputStream(new byte[0]), 0);
      if (r.status() != 200 && r.status() != 409) {
        throw new IOException("create bucket " + BUCKET + ": HTTP " + r.status());
      }
    }
  }

  static void putRandom(Endpoints endpoints, String key, long size, long seed) throws IOException {
    put(endpoints, key, new RandomBody(seed, size), size);
  }

  static void putFile(Endpoints endpoints, String key, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      put(endpoints, key, in, Files.size(file));
    }
  }

  private static void put(Endpoints endpoints, String key, InputStream body, long size) throws IOException {
    try (HttpConnection c = new HttpConnection(endpoints.upstream())) {
      HttpConnection.Response r = c.put(path(key), body, size);
      if (r.status() != 200) {
        throw new IOException("PUT " + key + ": HTTP " + r.status());
      }
    }
  }
}
