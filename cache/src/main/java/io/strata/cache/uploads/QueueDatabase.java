package io.strata.cache.uploads;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The queue's SQLite connection. Not thread-safe: {@link SqliteUploadQueue} calls it with its lock
 * held. One connection is enough: SQLite serializes writers anyway, and the queue is small.
 *
 * <p>Errors: a failing statement is rethrown as {@link UncheckedIOException} (with the
 * {@link SQLException} as cause of its cause), because the queue API declares no checked
 * exceptions on its row methods.
 */
final class QueueDatabase implements Closeable {

  /**
   * WAL + FULL: a commit is on disk when it returns (~7k autocommit inserts/s, plenty for client
   * writes). The queue acknowledges writes to clients, so unlike the block cache it may not lose
   * the last commits on a power loss.
   */
  private static final String URL_PARAMETERS =
      "?journal_mode=WAL&synchronous=FULL&busy_timeout=5000";

  /** A unit of work on the connection. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private final Connection connection;

  private QueueDatabase(Connection connection) {
    this.connection = connection;
  }

  /**
   * Opens (creating or migrating) the database and checks it. Never deletes or moves it: a
   * damaged queue holds writes that exist nowhere else, so an operator must look.
   */
  static QueueDatabase open(Path file) throws IOException {
    Connection connection = null;
    try {
      connection = DriverManager.getConnection("jdbc:sqlite:" + file + URL_PARAMETERS);
      quickCheck(connection);
      QueueSchema.migrate(connection);
      return new QueueDatabase(connection);
    } catch (SQLException e) {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new IOException("cannot open the upload queue database " + file + ": " + e.getMessage()
          + ". It holds acknowledged writes not yet in the upstream and is never wiped"
          + " automatically: repair or move it by hand (sqlite3 .recover)", e);
    }
  }

  private static void quickCheck(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
      String result = rs.next() ? rs.getString(1) : "no result";
      if (!"ok".equals(result)) {
        throw new SQLException("quick_check: " + result);
      }
    }
  }

  /** Runs {@code work} in one transaction, committed when it returns, rolled back if it throws. */
  <T> T transaction(String what, SqlWork<T> work) {
    try {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /** Runs a read (or a single statement) in autocommit mode. */
  <T> T call(String what, SqlWork<T> work) {
    try {
      return work.run(connection);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private static UncheckedIOException failure(String what, SQLException e) {
    return new UncheckedIOException(new IOException("upload queue: " + what + " failed: " + e.getMessage(), e));
  }

  @Override
  public void close() throws IOException {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IOException("closing the upload queue database failed", e);
    }
  }
}
