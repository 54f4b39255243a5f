package io.strata.cache.common;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Numbered SQLite schema migrations. {@code PRAGMA user_version} holds the number of the last one
 * applied; each runs in its own transaction together with the version bump, so a crash
 * mid-migration leaves the previous version intact. Never edit a released migration: append one.
 */
public final class Migrations {

  private Migrations() {}

  public static int version(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /**
   * Applies the missing migrations ({@code migrations.get(i)} is migration {@code i + 1}); fails,
   * touching nothing, on a database written by a newer Strata.
   */
  public static void migrate(Connection connection, List<List<String>> migrations) throws SQLException {
    int current = version(connection);
    if (current > migrations.size()) {
      // Not corruption: never wipe it, let the operator run the newer version.
      throw new SQLException("schema version: " + current + " (expected: <= " + migrations.size() + ")");
    }
    for (int v = current + 1; v <= migrations.size(); v++) {
      connection.setAutoCommit(false);
      try (Statement s = connection.createStatement()) {
        for (String sql : migrations.get(v - 1)) {
          s.execute(sql);
        }
        s.execute("PRAGMA user_version = " + v);
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }
}
