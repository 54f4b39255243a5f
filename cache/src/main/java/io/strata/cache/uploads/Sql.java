package io.strata.cache.uploads;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small JDBC helpers: positional arguments bound with {@code setObject}, rows mapped by a lambda. */
final class Sql {

  /** Maps the current row of a result set. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private Sql() {}

  static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  static <T> List<T> list(Connection c, String sql, RowMapper<T> mapper, Object... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    }
  }

  static <T> Optional<T> first(Connection c, String sql, RowMapper<T> mapper, Object... args)
      throws SQLException {
    List<T> rows = list(c, sql, mapper, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** The value of column 1 as a long, 0 when NULL (as for {@code sum} over no rows). */
  static long longValue(Connection c, String sql, Object... args) throws SQLException {
    return first(c, sql, rs -> rs.getLong(1), args).orElse(0L);
  }

  /**
   * {@code column} starts with {@code ?}: an exact prefix test with no LIKE wildcards (keys may
   * hold {@code %} and {@code _}). The range test lets SQLite use the index; {@code substr}
   * decides. Binds the prefix twice.
   */
  static String startsWith(String column) {
    return "(" + column + " >= ? AND substr(" + column + ", 1, length(?)) = ?)";
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }
}
