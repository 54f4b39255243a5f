package io.strata.cache.meta;

import static java.util.Objects.requireNonNull;

import io.strata.cache.parquet.ByteSpan;
import io.strata.cache.parquet.ColumnChunk;
import io.strata.cache.parquet.ParquetFooter;
import io.strata.cache.parquet.RowGroup;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Parsed Parquet footers in SQLite, per object version: the row groups and column chunks with
 * their byte spans and statistics, so a prefetch plan, the admin API and the eviction policy can
 * use them without the footer bytes, and they survive restarts. Rows of other versions of an
 * object go when a new version is recorded or the object is forgotten.
 */
public final class ParquetCatalog {

  private final MetadataStore store;

  public ParquetCatalog(MetadataStore store) {
    this.store = requireNonNull(store, "store");
  }

  /** Records (or replaces) the footer of {@code bucket/key} at {@code etag}. */
  public void record(String bucket, String key, String etag, ParquetFooter footer, long nowMillis) {
    store.transaction("record Parquet footer", c -> {
      delete(c, bucket, key, etag, true);
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO parquet_files (bucket, key, etag, file_size, footer_length, row_count,"
              + " parsed_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, bucket);
        ps.setString(2, key);
        ps.setString(3, etag);
        ps.setLong(4, footer.fileSize());
        ps.setLong(5, footer.span().length());
        ps.setLong(6, footer.rowCount());
        ps.setLong(7, nowMillis);
        ps.executeUpdate();
      }
      try (PreparedStatement groups = c.prepareStatement(
              "INSERT INTO parquet_row_groups (bucket, key, etag, rg, row_count, first_byte, length)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?)");
          PreparedStatement chunks = c.prepareStatement(
              "INSERT INTO parquet_chunks (bucket, key, etag, rg, position, column_path,"
                  + " physical_type, codec, dictionary_offset, data_offset, compressed_size,"
                  + " min_value, max_value, column_index_offset, column_index_length,"
                  + " offset_index_offset, offset_index_length)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (RowGroup g : footer.rowGroups()) {
          ByteSpan span = g.span();
          setVersion(groups, bucket, key, etag);
          groups.setInt(4, g.index());
          groups.setLong(5, g.rowCount());
          groups.setLong(6, span.offset());
          groups.setLong(7, span.length());
          groups.addBatch();
          for (int i = 0; i < g.chunks().size(); i++) {
            ColumnChunk ch = g.chunks().get(i);
            setVersion(chunks, bucket, key, etag);
            chunks.setInt(4, g.index());
            chunks.setInt(5, i);
            chunks.setString(6, ch.path());
            chunks.setString(7, ch.physicalType());
            chunks.setString(8, ch.codec());
            chunks.setLong(9, ch.dictionaryPageOffset());
            chunks.setLong(10, ch.dataPageOffset());
            chunks.setLong(11, ch.compressedSize());
            setDouble(chunks, 12, ch.min());
            setDouble(chunks, 13, ch.max());
            setSpan(chunks, 14, ch.columnIndex());
            setSpan(chunks, 16, ch.offsetIndex());
            chunks.addBatch();
          }
        }
        groups.executeBatch();
        chunks.executeBatch();
      }
      return null;
    });
  }

  /** The footer of {@code bucket/key} at {@code etag}, if it was recorded. */
  public Optional<ParquetFooter> footer(String bucket, String key, String etag) {
    return store.call("read Parquet footer", c -> {
      long fileSize;
      long footerLength;
      long rowCount;
      try (PreparedStatement ps = c.prepareStatement("SELECT file_size, footer_length, row_count"
          + " FROM parquet_files WHERE bucket = ? AND key = ? AND etag = ?")) {
        setVersion(ps, bucket, key, etag);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          fileSize = rs.getLong(1);
          footerLength = rs.getLong(2);
          rowCount = rs.getLong(3);
        }
      }
      List<Long> rowCounts = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT row_count FROM parquet_row_groups"
          + " WHERE bucket = ? AND key = ? AND etag = ? ORDER BY rg")) {
        setVersion(ps, bucket, key, etag);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rowCounts.add(rs.getLong(1));
          }
        }
      }
      List<List<ColumnChunk>> chunks = new ArrayList<>();
      rowCounts.forEach(r -> chunks.add(new ArrayList<>()));
      Set<String> columns = new LinkedHashSet<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT rg, column_path, physical_type, codec,"
          + " dictionary_offset, data_offset, compressed_size, min_value, max_value,"
          + " column_index_offset, column_index_length, offset_index_offset, offset_index_length"
          + " FROM parquet_chunks WHERE bucket = ? AND key = ? AND etag = ? ORDER BY rg, position")) {
        setVersion(ps, bucket, key, etag);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ColumnChunk chunk = new ColumnChunk(rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getLong(5), rs.getLong(6), rs.getLong(7), getDouble(rs, 8), getDouble(rs, 9),
                getSpan(rs, 10), getSpan(rs, 12));
            chunks.get(rs.getInt(1)).add(chunk);
            columns.add(chunk.path());
          }
        }
      }
      List<RowGroup> groups = new ArrayList<>();
      for (int i = 0; i < rowCounts.size(); i++) {
        groups.add(new RowGroup(i, rowCounts.get(i), chunks.get(i)));
      }
      return Optional.of(new ParquetFooter(fileSize,
          Math.toIntExact(footerLength - ParquetFooter.TRAILER_LENGTH), rowCount,
          List.copyOf(columns), groups));
    });
  }

  /** Deletes the rows of every version of the object but {@code keep} (null: all of them). */
  static void deleteOtherVersions(Connection c, String bucket, String key, String keep)
      throws SQLException {
    delete(c, bucket, key, keep, false);
  }

  private static void delete(Connection c, String bucket, String key, String etag, boolean only)
      throws SQLException {
    String versions = etag == null ? "" : only ? " AND etag = ?" : " AND etag <> ?";
    for (String table : List.of("parquet_files", "parquet_row_groups", "parquet_chunks")) {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM " + table + " WHERE bucket = ? AND key = ?" + versions)) {
        ps.setString(1, bucket);
        ps.setString(2, key);
        if (etag != null) {
          ps.setString(3, etag);
        }
        ps.executeUpdate();
      }
    }
  }

  private static void setVersion(PreparedStatement ps, String bucket, String key, String etag)
      throws SQLException {
    ps.setString(1, bucket);
    ps.setString(2, key);
    ps.setString(3, etag);
  }

  private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.REAL);
    } else {
      ps.setDouble(i, v);
    }
  }

  private static Double getDouble(ResultSet rs, int i) throws SQLException {
    double v = rs.getDouble(i);
    return rs.wasNull() ? null : v;
  }

  private static void setSpan(PreparedStatement ps, int i, ByteSpan span) throws SQLException {
    if (span == null) {
      ps.setNull(i, Types.INTEGER);
      ps.setNull(i + 1, Types.INTEGER);
    } else {
      ps.setLong(i, span.offset());
      ps.setLong(i + 1, span.length());
    }
  }

  private static ByteSpan getSpan(ResultSet rs, int i) throws SQLException {
    long offset = rs.getLong(i);
    if (rs.wasNull()) {
      return null;
    }
    return new ByteSpan(offset, rs.getLong(i + 1));
  }
}
