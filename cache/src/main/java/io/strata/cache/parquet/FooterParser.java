package io.strata.cache.parquet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Statistics;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.Util;

/**
 * Reads a Parquet footer ("File Format" in the Parquet specification): the file ends with the
 * Thrift-encoded FileMetaData, its length as a little-endian int32, and the magic {@code PAR1}.
 *
 * <p>Only parquet-format-structures (the Thrift classes of the format itself) is needed, so no
 * Hadoop class is loaded at run time. Statistics are decoded for the numeric physical types
 * (INT32, INT64, FLOAT, DOUBLE), which is what depth and curve columns are; other columns carry
 * none, and are then never skipped by a range filter.
 */
public final class FooterParser {

  static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
  /** A footer larger than this is refused rather than held in memory. */
  static final int MAX_METADATA_LENGTH = 64 << 20;

  private FooterParser() {}

  /**
   * The footer's total length (metadata plus the 8-byte trailer), from the file's last 8 bytes.
   *
   * @throws NotParquetException when the bytes do not end with {@code PAR1} or the length cannot
   *     be right for a file of {@code fileSize} bytes
   */
  public static int footerLength(byte[] lastEight, long fileSize) {
    if (lastEight.length != ParquetFooter.TRAILER_LENGTH || !endsWithMagic(lastEight)) {
      throw new NotParquetException("the object does not end with the Parquet magic PAR1");
    }
    int metadataLength = ByteBuffer.wrap(lastEight, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    // A file is at least: magic, metadata, length, magic.
    if (metadataLength <= 0 || metadataLength > MAX_METADATA_LENGTH
        || (long) metadataLength + ParquetFooter.TRAILER_LENGTH + MAGIC.length > fileSize) {
      throw new NotParquetException("the footer length " + metadataLength
          + " does not fit a file of " + fileSize + " bytes");
    }
    return metadataLength + ParquetFooter.TRAILER_LENGTH;
  }

  /** Whether the bytes end with {@code PAR1}. */
  public static boolean endsWithMagic(byte[] bytes) {
    if (bytes.length < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[bytes.length - MAGIC.length + i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a whole footer.
   *
   * @param footer exactly the file's last {@link #footerLength} bytes
   * @param fileSize the file's size
   */
  public static ParquetFooter parse(byte[] footer, long fileSize) {
    byte[] trailer = java.util.Arrays.copyOfRange(footer, Math.max(0, footer.length - 8), footer.length);
    int length = footerLength(trailer, fileSize);
    if (footer.length != length) {
      throw new NotParquetException("expected " + length + " footer bytes, got " + footer.length);
    }
    FileMetaData meta;
    try {
      meta = Util.readFileMetaData(new ByteArrayInputStream(footer, 0, length - 8));
    } catch (IOException | RuntimeException e) {
      throw new NotParquetException("the footer cannot be read: " + e.getMessage());
    }
    List<String> columns = leafPaths(meta.getSchema());
    List<RowGroup> groups = new ArrayList<>();
    if (meta.getRow_groups() != null) {
      for (org.apache.parquet.format.RowGroup g : meta.getRow_groups()) {
        List<ColumnChunk> chunks = new ArrayList<>();
        for (org.apache.parquet.format.ColumnChunk c : g.getColumns()) {
          chunks.add(chunk(c, fileSize));
        }
        groups.add(new RowGroup(groups.size(), g.getNum_rows(), chunks));
      }
    }
    return new ParquetFooter(fileSize, length - 8, meta.getNum_rows(), columns, groups);
  }

  private static ColumnChunk chunk(org.apache.parquet.format.ColumnChunk c, long fileSize) {
    var m = c.getMeta_data();
    if (m == null) {
      // Column chunks in another file (file_path) are not something Strata can prefetch.
      throw new NotParquetException("a column chunk has no metadata in this file");
    }
    String path = String.join(".", m.getPath_in_schema());
    long dictionary = m.isSetDictionary_page_offset() ? m.getDictionary_page_offset() : -1;
    if (m.getData_page_offset() < 0 || m.getTotal_compressed_size() <= 0
        || m.getData_page_offset() + m.getTotal_compressed_size() > fileSize) {
      throw new NotParquetException("column chunk " + path + " lies outside the file");
    }
    Double[] minMax = minMax(m.getType(), m.getStatistics());
    return new ColumnChunk(path, m.getType().name(), m.getCodec().name(), dictionary,
        m.getData_page_offset(), m.getTotal_compressed_size(), minMax[0], minMax[1],
        span(c.isSetColumn_index_offset(), c.getColumn_index_offset(), c.getColumn_index_length()),
        span(c.isSetOffset_index_offset(), c.getOffset_index_offset(), c.getOffset_index_length()));
  }

  private static ByteSpan span(boolean set, long offset, int length) {
    return set && offset >= 0 && length > 0 ? new ByteSpan(offset, length) : null;
  }

  /** Min and max as doubles (null, null when absent or not numeric). */
  private static Double[] minMax(Type type, Statistics stats) {
    if (stats == null) {
      return new Double[2];
    }
    // min_value/max_value are the current fields; min/max the deprecated ones, which are right
    // for the signed numeric types decoded here.
    byte[] min = stats.isSetMin_value() ? stats.getMin_value() : stats.isSetMin() ? stats.getMin() : null;
    byte[] max = stats.isSetMax_value() ? stats.getMax_value() : stats.isSetMax() ? stats.getMax() : null;
    return new Double[] {decode(type, min), decode(type, max)};
  }

  /** A statistic's value as a double, for the numeric physical types ({@code type} by name). */
  static Double decode(String type, byte[] bytes) {
    try {
      return decode(Type.valueOf(type), bytes);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Double decode(Type type, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    Double value = switch (type) {
      case INT32 -> bytes.length == 4 ? (double) b.getInt() : null;
      case INT64 -> bytes.length == 8 ? (double) b.getLong() : null;
      case FLOAT -> bytes.length == 4 ? (double) b.getFloat() : null;
      case DOUBLE -> bytes.length == 8 ? b.getDouble() : null;
      default -> null;
    };
    return value == null || value.isNaN() ? null : value;
  }

  /** Leaf columns' dotted paths: the schema is a depth-first list with child counts. */
  static List<String> leafPaths(List<SchemaElement> schema) {
    List<String> out = new ArrayList<>();
    if (schema == null || schema.isEmpty()) {
      return out;
    }
    walk(schema, new int[] {1}, schema.get(0).getNum_children(), "", out);
    return out;
  }

  private static void walk(List<SchemaElement> schema, int[] next, int children, String prefix,
      List<String> out) {
    for (int i = 0; i < children && next[0] < schema.size(); i++) {
      SchemaElement e = schema.get(next[0]++);
      String path = prefix.isEmpty() ? e.getName() : prefix + "." + e.getName();
      if (e.isSetNum_children() && e.getNum_children() > 0) {
        walk(schema, next, e.getNum_children(), path, out);
      } else {
        out.add(path);
      }
    }
  }
}
