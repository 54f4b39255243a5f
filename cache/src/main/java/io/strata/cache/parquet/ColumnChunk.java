package io.strata.cache.parquet;

/**
 * One column's chunk in one row group, as the footer describes it.
 *
 * @param path the column's dotted path in the schema, e.g. {@code GR} or {@code a.b}
 * @param physicalType the Parquet physical type, e.g. {@code DOUBLE}
 * @param codec the compression codec, e.g. {@code SNAPPY}
 * @param dictionaryPageOffset where the dictionary page starts, or -1 without one
 * @param dataPageOffset where the first data page starts
 * @param compressedSize bytes of the chunk on disk, all pages included
 * @param min the smallest value, for numeric columns with statistics; else null
 * @param max the largest value, for numeric columns with statistics; else null
 * @param columnIndex where the chunk's column index (page-level min/max) is, or null
 * @param offsetIndex where the chunk's offset index (page locations) is, or null
 */
public record ColumnChunk(
    String path,
    String physicalType,
    String codec,
    long dictionaryPageOffset,
    long dataPageOffset,
    long compressedSize,
    Double min,
    Double max,
    ByteSpan columnIndex,
    ByteSpan offsetIndex) {

  /** The chunk's bytes: from its dictionary page (if any) over all its pages. */
  public ByteSpan span() {
    long first = dictionaryPageOffset >= 0 && dictionaryPageOffset < dataPageOffset
        ? dictionaryPageOffset
        : dataPageOffset;
    return new ByteSpan(first, compressedSize);
  }

  /**
   * Whether values in {@code [low, high]} may be in this chunk; without statistics it must be
   * assumed they are.
   */
  public boolean mayOverlap(double low, double high) {
    if (min == null || max == null) {
      return true;
    }
    return max >= low && min <= high;
  }
}
