package io.strata.cache.parquet;

import java.util.List;

/**
 * What a Parquet file's footer says about it: where the footer is, and the byte layout of every
 * row group and column chunk, with min/max statistics where present.
 *
 * @param fileSize the object's size
 * @param metadataLength the length of the serialized FileMetaData; the footer is that plus the
 *     8-byte trailer (length and {@code PAR1}), at the end of the file
 * @param rowCount rows in the file
 * @param columns the leaf columns' dotted paths, in schema order
 * @param rowGroups the row groups, in file order
 */
public record ParquetFooter(
    long fileSize, int metadataLength, long rowCount, List<String> columns, List<RowGroup> rowGroups) {

  /** The 8 bytes at the end of every Parquet file: metadata length (LE int32) and the magic. */
  public static final int TRAILER_LENGTH = 8;

  public ParquetFooter {
    columns = List.copyOf(columns);
    rowGroups = List.copyOf(rowGroups);
  }

  /** The footer's bytes: the FileMetaData and the trailer. */
  public ByteSpan span() {
    long length = (long) metadataLength + TRAILER_LENGTH;
    return new ByteSpan(fileSize - length, length);
  }
}
