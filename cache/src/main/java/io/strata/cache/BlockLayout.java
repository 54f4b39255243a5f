package io.strata.cache;

/**
 * How an object of a given size is cut into blocks: aligned blocks of {@code blockSize} from
 * offset 0, then one end-anchored <em>tail block</em> that runs from an aligned boundary to the end
 * of the object and is at least {@code minTailSize} long (or the whole object when smaller).
 *
 * <p>Why a tail block: Parquet readers first read the footer with a suffix range whose size they
 * guess (DuckDB up to 256 KiB, Arrow 64 KiB, Trino 48 KiB). Anchoring one piece to the end makes
 * every such read a single cached piece instead of two partial blocks.
 *
 * <p>Blocks partition the object: they never overlap, block {@code i} starts where {@code i - 1}
 * ends, and the tail block is always the last index. The tail is between {@code minTailSize} and
 * {@code blockSize + minTailSize} long.
 *
 * @param tailStart offset where the tail block starts (a multiple of {@code blockSize})
 */
public record BlockLayout(long objectSize, long blockSize, long tailStart) {

  public BlockLayout {
    if (blockSize <= 0) {
      throw new IllegalArgumentException("blockSize: " + blockSize + " (expected: > 0)");
    }
    if (objectSize < 0) {
      throw new IllegalArgumentException("objectSize: " + objectSize + " (expected: >= 0)");
    }
    // A tail starting at or past the end would be an empty block; blocks are never empty.
    long maxTailStart = objectSize == 0 ? 0 : objectSize - 1;
    if (tailStart < 0 || tailStart > maxTailStart || tailStart % blockSize != 0) {
      throw new IllegalArgumentException(
          "tailStart: " + tailStart + " (expected: a multiple of " + blockSize
              + " in [0, " + maxTailStart + "])");
    }
  }

  /** The layout of an object of {@code objectSize} bytes. */
  public static BlockLayout of(long objectSize, long blockSize, long minTailSize) {
    // Checked here too: the division below would fail before the constructor's check.
    if (blockSize <= 0) {
      throw new IllegalArgumentException("blockSize: " + blockSize + " (expected: > 0)");
    }
    if (minTailSize < 0) {
      throw new IllegalArgumentException("minTailSize: " + minTailSize + " (expected: >= 0)");
    }
    // At least one byte in the tail: with minTailSize 0 and a size that is a multiple of the
    // block size, objectSize - minTailSize would start an empty block at the very end.
    long lastPossibleStart = Math.max(0, objectSize - Math.max(1, minTailSize));
    long tailStart = (lastPossibleStart / blockSize) * blockSize;
    return new BlockLayout(objectSize, blockSize, tailStart);
  }

  /** Number of blocks, the tail included; 0 for an empty object. */
  public int blockCount() {
    if (objectSize == 0) {
      return 0;
    }
    return Math.toIntExact(tailStart / blockSize) + 1;
  }

  /** Index of the tail block. */
  public int tailIndex() {
    return blockCount() - 1;
  }

  /** First byte of block {@code index}. */
  public long start(int index) {
    checkIndex(index);
    return index * blockSize;
  }

  /** Length of block {@code index} in bytes. */
  public long length(int index) {
    checkIndex(index);
    return index == tailIndex() ? objectSize - tailStart : blockSize;
  }

  /** Offset one past the last byte of block {@code index}. */
  public long end(int index) {
    return start(index) + length(index);
  }

  /** Index of the block holding byte {@code offset}. */
  public int indexOf(long offset) {
    if (offset < 0 || offset >= objectSize) {
      throw new IndexOutOfBoundsException(
          "offset: " + offset + " (expected: 0 <= offset < " + objectSize + ")");
    }
    return offset >= tailStart ? tailIndex() : Math.toIntExact(offset / blockSize);
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= blockCount()) {
      throw new IndexOutOfBoundsException(
          "index: " + index + " (expected: 0 <= index < " + blockCount() + ")");
    }
  }
}
