package io.strata.cache.uploads;

import io.strata.cache.common.Migrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The queue's SQLite schema as numbered migrations, in its own database (not the block cache's:
 * that one may be wiped, this one never is). {@code PRAGMA user_version} holds the number of the
 * last one applied; each runs in one transaction with the version bump, so a crash mid-migration
 * leaves the previous version intact. Never edit a released migration: append one.
 *
 * <p>Times are epoch milliseconds; paths are relative to the queue directory ({@link QueuePaths});
 * {@code part_sizes} is a comma-separated list of longs (empty for a single PUT); user metadata is
 * a flat JSON object ({@link QueueJson}).
 */
final class QueueSchema {

  /** Migration {@code i + 1} is {@code MIGRATIONS.get(i)}. */
  private static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              // AUTOINCREMENT: ids are never reused, so an id names one write forever (the admin
              // API and the logs refer to writes by id, also after they were delivered).
              """
              CREATE TABLE pending_uploads (
                id                 INTEGER PRIMARY KEY AUTOINCREMENT,
                bucket             TEXT    NOT NULL,
                key                TEXT    NOT NULL,
                operation          TEXT    NOT NULL,
                local_path         TEXT,
                size               INTEGER NOT NULL,
                etag               TEXT,
                checksum_algorithm TEXT,
                checksum_value     TEXT,
                content_type       TEXT,
                user_metadata      TEXT    NOT NULL,
                part_sizes         TEXT    NOT NULL,
                base_etag          TEXT,
                state              TEXT    NOT NULL,
                created_at         INTEGER NOT NULL,
                retry_count        INTEGER NOT NULL DEFAULT 0,
                next_attempt_at    INTEGER NOT NULL,
                last_error         TEXT,
                conflict_etag      TEXT
              )""",
              "CREATE INDEX pending_uploads_by_key ON pending_uploads (bucket, key, id)",
              "CREATE INDEX pending_uploads_by_due ON pending_uploads (state, next_attempt_at)",
              """
              CREATE TABLE multipart_uploads (
                upload_id     TEXT    NOT NULL PRIMARY KEY,
                bucket        TEXT    NOT NULL,
                key           TEXT    NOT NULL,
                content_type  TEXT,
                user_metadata TEXT    NOT NULL,
                initiated     INTEGER NOT NULL
              ) WITHOUT ROWID""",
              "CREATE INDEX multipart_uploads_by_key ON multipart_uploads (bucket, key, initiated)",
              """
              CREATE TABLE multipart_parts (
                upload_id     TEXT    NOT NULL,
                part_number   INTEGER NOT NULL,
                local_path    TEXT    NOT NULL,
                size          INTEGER NOT NULL,
                etag          TEXT    NOT NULL,
                last_modified INTEGER NOT NULL,
                PRIMARY KEY (upload_id, part_number)
              ) WITHOUT ROWID"""));

  private QueueSchema() {}

  /** The version this code writes. */
  static int latestVersion() {
    return MIGRATIONS.size();
  }

  static int version(Connection connection) throws SQLException {
    return Migrations.version(connection);
  }

  /** Applies the missing migrations; fails on a database written by a newer Strata. */
  static void migrate(Connection connection) throws SQLException {
    Migrations.migrate(connection, MIGRATIONS);
  }
}
