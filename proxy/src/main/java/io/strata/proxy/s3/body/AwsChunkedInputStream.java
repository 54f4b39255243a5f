package io.strata.proxy.s3.body;

import static java.util.Objects.requireNonNull;

import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Decodes an aws-chunked body (AWS SigV4 streaming: STREAMING-AWS4-HMAC-SHA256-PAYLOAD,
 * STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER) into the payload
 * bytes.
 *
 * <p>Framing, per "Transferring Payload in Multiple Chunks (Chunked Upload)"
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html) and "Including Trailing
 * Headers" (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html):
 *
 * <pre>
 *   hex-size[;chunk-signature=&lt;64 hex&gt;]\r\n data \r\n     (repeated)
 *   0[;chunk-signature=&lt;64 hex&gt;]\r\n                       (final chunk)
 *   name:value\r\n ...  [x-amz-trailer-signature:&lt;64 hex&gt;\r\n]  (trailers, if any)
 *   \r\n
 * </pre>
 *
 * What AWS SDK for Java 2.57 sends is captured in {@code src/test/resources/.../body/*.body}.
 * Leniency where clients differ: blank lines between the final chunk and the trailers, a missing
 * final blank line, bare LF ends of size and trailer lines, and chunk extensions other than
 * {@code chunk-signature} are accepted. A premature end is {@code IncompleteBody}; any other framing error is {@code
 * InvalidRequest} naming what was wrong. Signatures are collected, not verified.
 */
public final class AwsChunkedInputStream extends InputStream {

  /** Largest chunk accepted: SDKs use 64 KiB to 1 MiB; this bounds a hostile size line. */
  static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;
  /** Longest chunk-size or trailer line: "10000;chunk-signature=" + 64 hex is ~90 bytes. */
  static final int MAX_LINE = 4096;
  /** Most trailer bytes accepted after the final chunk. */
  static final int MAX_TRAILER_BYTES = 16 * 1024;

  private static final String CHUNK_SIGNATURE = "chunk-signature=";
  private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

  private enum State { SIZE_LINE, DATA, DONE }

  private final InputStream raw;
  private final boolean signedChunks;
  private final boolean hasTrailer;
  private final byte[] buffer = new byte[8192];
  private int pos;
  private int limit;

  private State state = State.SIZE_LINE;
  private long remaining;
  private final List<String> signatures = new ArrayList<>();
  private final Map<String, String> trailers = new LinkedHashMap<>();
  private String trailerSignature;
  /** The signature of the chunk being read. */
  private String pendingSignature;
  /** Verifies each chunk's signature, or null when nobody asked for it. */
  private final ChunkSignatures verifier;
  /** SHA-256 of the current chunk's data so far; only with a verifier. */
  private final MessageDigest chunkDigest;

  public AwsChunkedInputStream(InputStream raw, boolean signedChunks, boolean hasTrailer) {
    this(raw, signedChunks, hasTrailer, null);
  }

  /**
   * @param verifier checks every chunk signature (and the trailer signature) as the body is read;
   *     only meaningful with {@code signedChunks}
   */
  public AwsChunkedInputStream(InputStream raw, boolean signedChunks, boolean hasTrailer,
      ChunkSignatures verifier) {
    this.raw = requireNonNull(raw, "raw");
    this.signedChunks = signedChunks;
    this.hasTrailer = hasTrailer;
    this.verifier = signedChunks ? verifier : null;
    this.chunkDigest = this.verifier == null ? null : sha256();
  }

  /** Trailing headers (lower-case names), available after EOF, e.g. "x-amz-checksum-crc32c". */
  public Map<String, String> trailers() {
    return Collections.unmodifiableMap(trailers);
  }

  /** Chunk signatures seen, in order, when no verifier checks them as they arrive; else empty. */
  public List<String> chunkSignatures() {
    return Collections.unmodifiableList(signatures);
  }

  /** The {@code x-amz-trailer-signature} value (signed trailers only), after EOF; else null. */
  public String trailerSignature() {
    return trailerSignature;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    while (state == State.SIZE_LINE) {
      readSizeLine();
    }
    if (state == State.DONE) {
      return -1;
    }
    int want = (int) Math.min(len, remaining);
    int n;
    if (pos < limit) {
      n = Math.min(want, limit - pos);
      System.arraycopy(buffer, pos, b, off, n);
      pos += n;
    } else {
      // Buffer empty: read straight into the caller's array, no extra copy for big chunks.
      n = raw.read(b, off, want);
      if (n < 0) {
        throw incomplete();
      }
    }
    if (chunkDigest != null) {
      chunkDigest.update(b, off, n);
    }
    remaining -= n;
    if (remaining == 0) {
      expectCrlfAfterData();
      if (verifier != null) {
        // The chunk's bytes are already with the caller, but nothing is acknowledged before the
        // whole body verified, so a forged chunk fails the request before anything is stored.
        verifier.chunk(pendingSignature, chunkDigest.digest());
      }
      state = State.SIZE_LINE;
    }
    return n;
  }

  private void readSizeLine() throws IOException {
    String line = readLine(/* eofAllowed= */ false);
    int semi = line.indexOf(';');
    String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
    long size = parseSize(hex, line);
    String signature = semi < 0 ? null : chunkSignature(line.substring(semi + 1), line);
    if (signature != null) {
      pendingSignature = signature;
      if (verifier == null) {
        signatures.add(signature); // kept for inspection; a verified body need not hold them all
      }
    } else if (signedChunks) {
      throw framing("Chunk header \"" + printable(line) + "\" has no chunk-signature");
    }
    if (size > 0) {
      remaining = size;
      state = State.DATA;
      return;
    }
    if (verifier != null) {
      verifier.chunk(pendingSignature, chunkDigest.digest()); // the final chunk is signed too
    }
    readTrailerSection();
    if (verifier != null && hasTrailer) {
      verifier.trailer(trailerSignature, sha256(canonicalTrailers()));
    }
    state = State.DONE;
  }

  private static long parseSize(String hex, String line) {
    // Hex digits only: Long.parseLong would also take a sign.
    if (hex.isEmpty() || hex.length() > 16 || !hex.chars().allMatch(AwsChunkedInputStream::isHex)) {
      throw framing("Invalid chunk size in \"" + printable(line) + "\"");
    }
    long size = Long.parseUnsignedLong(hex, 16);
    if (size < 0 || size > MAX_CHUNK_SIZE) {
      throw framing("Chunk size 0x" + hex + " exceeds the maximum of " + MAX_CHUNK_SIZE + " bytes");
    }
    return size;
  }

  private static String chunkSignature(String extensions, String line) {
    String signature = null;
    for (String extension : extensions.split(";")) {
      String e = extension.strip();
      if (!e.regionMatches(true, 0, CHUNK_SIGNATURE, 0, CHUNK_SIGNATURE.length())) {
        continue; // RFC 9112 §7.1.1: unknown chunk extensions are ignored
      }
      String value = e.substring(CHUNK_SIGNATURE.length());
      if (value.length() != 64 || !value.chars().allMatch(AwsChunkedInputStream::isHex)) {
        throw framing("Invalid chunk-signature in \"" + printable(line) + "\"");
      }
      signature = value.toLowerCase(Locale.ROOT);
    }
    return signature;
  }

  private void expectCrlfAfterData() throws IOException {
    // Strict CRLF here (no bare LF): it is what catches a size line that does not match its data.
    int cr = readByte();
    int lf = cr < 0 ? -1 : readByte();
    if (cr < 0 || lf < 0) {
      throw incomplete();
    }
    if (cr != '\r' || lf != '\n') {
      throw framing("Chunk data does not end at its declared size (expected CRLF)");
    }
  }

  /**
   * After the final chunk: trailer lines until a blank line or the end of the body. Anything but
   * blank lines after that, or any trailer when none was announced, is garbage after the last
   * chunk.
   */
  private void readTrailerSection() throws IOException {
    int bytes = 0;
    boolean trailersEnded = false;
    for (String line = readLine(true); line != null; line = readLine(true)) {
      bytes += line.length() + 2;
      if (bytes > MAX_TRAILER_BYTES) {
        throw framing("The trailing headers exceed " + MAX_TRAILER_BYTES + " bytes");
      }
      if (line.isBlank()) {
        // Blank lines before the first trailer are tolerated; after trailers one ends them.
        trailersEnded |= !trailers.isEmpty() || trailerSignature != null;
        continue;
      }
      if (!hasTrailer || trailersEnded) {
        throw framing("Unexpected data after the final chunk: \"" + printable(line) + "\"");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw framing("Malformed trailing header \"" + printable(line) + "\"");
      }
      String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (name.equals(TRAILER_SIGNATURE)) {
        trailerSignature = value;
      } else if (trailers.putIfAbsent(name, value) != null) {
        throw framing("Trailing header " + name + " is repeated");
      }
    }
    if (signedChunks && hasTrailer && trailerSignature == null) {
      // Signed trailers always end with their signature; without it the body was cut short.
      throw incomplete();
    }
  }

  /** The trailers as they are signed: {@code name:value\n} per trailer, in the order sent. */
  private byte[] canonicalTrailers() {
    StringBuilder canonical = new StringBuilder();
    trailers.forEach((name, value) -> canonical.append(name).append(':').append(value).append('\n'));
    return canonical.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    return sha256().digest(bytes);
  }

  /** A line without its CR LF (or bare LF); null at a clean EOF when {@code eofAllowed}. */
  private String readLine(boolean eofAllowed) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = readByte();
      if (b < 0) {
        if (eofAllowed && line.length() == 0) {
          return null;
        }
        throw incomplete();
      }
      if (b == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      if (line.length() >= MAX_LINE) {
        throw framing("A chunk header or trailer line is longer than " + MAX_LINE + " bytes");
      }
      line.append((char) b);
    }
  }

  private int readByte() throws IOException {
    if (pos == limit) {
      int n = raw.read(buffer, 0, buffer.length);
      if (n <= 0) {
        return -1; // InputStream.read never returns 0 for a non-empty buffer
      }
      pos = 0;
      limit = n;
    }
    return buffer[pos++] & 0xff;
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static String printable(String line) {
    String cut = line.length() > 100 ? line.substring(0, 100) + "..." : line;
    StringBuilder out = new StringBuilder(cut.length());
    for (char c : cut.toCharArray()) {
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.toString();
  }

  private static S3Exception incomplete() {
    return new S3Exception(S3ErrorCode.INCOMPLETE_BODY);
  }

  private static S3Exception framing(String message) {
    return new S3Exception(S3ErrorCode.INVALID_REQUEST, "Malformed aws-chunked body: " + message);
  }

  @Override
  public void close() throws IOException {
    raw.close();
  }
}
