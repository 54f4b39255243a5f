package io.strata.cache.meta;

import io.strata.cache.common.Migrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The SQLite schema as numbered migrations. {@code PRAGMA user_version} holds the number of the
 * last one applied; each runs in its own transaction together with the version bump, so a crash
 * mid-migration leaves the previous version intact. Never edit a released migration: append one.
 *
 * <p>Times are epoch milliseconds. Tables are {@code WITHOUT ROWID}: their natural keys are their
 * primary keys, and the rows are looked up by those keys.
 */
final class Schema {

  /** Migration {@code i + 1} is {@code MIGRATIONS.get(i)}. */
  private static final List<List<String>> MIGRATIONS =
      List.of(
          List.of(
              """
              CREATE TABLE objects (
                bucket        TEXT    NOT NULL,
                key           TEXT    NOT NULL,
                etag          TEXT    NOT NULL,
                size          INTEGER NOT NULL,
                last_modified INTEGER NOT NULL,
                content_type  TEXT    NOT NULL,
                user_metadata TEXT    NOT NULL,
                fetched_at    INTEGER NOT NULL,
                validated_at  INTEGER NOT NULL,
                access_count  INTEGER NOT NULL DEFAULT 0,
                last_access   INTEGER,
                PRIMARY KEY (bucket, key)
              ) WITHOUT ROWID""",
              """
              CREATE TABLE blocks (
                bucket      TEXT    NOT NULL,
                key         TEXT    NOT NULL,
                etag        TEXT    NOT NULL,
                idx         INTEGER NOT NULL,
                length      INTEGER NOT NULL,
                crc32c      INTEGER NOT NULL,
                created_at  INTEGER NOT NULL,
                last_access INTEGER NOT NULL,
                PRIMARY KEY (bucket, key, etag, idx)
              ) WITHOUT ROWID""",
              "CREATE INDEX blocks_by_last_access ON blocks (last_access)",
              """
              CREATE TABLE listed_objects (
                bucket        TEXT    NOT NULL,
                key           TEXT    NOT NULL,
                etag          TEXT    NOT NULL,
                size          INTEGER NOT NULL,
                last_modified INTEGER NOT NULL,
                seen_at       INTEGER NOT NULL,
                PRIMARY KEY (bucket, key)
              ) WITHOUT ROWID"""),
          // 2: settings the files on disk depend on (the block layout), checked at open.
          List.of(
              """
              CREATE TABLE settings (
                name  TEXT NOT NULL PRIMARY KEY,
                value TEXT NOT NULL
              ) WITHOUT ROWID"""),
          // 3: Parquet footers, parsed, per object version: what a curve x depth read needs.
          List.of(
              """
              CREATE TABLE parquet_files (
                bucket        TEXT    NOT NULL,
                key           TEXT    NOT NULL,
                etag          TEXT    NOT NULL,
                file_size     INTEGER NOT NULL,
                footer_length INTEGER NOT NULL,
                row_count     INTEGER NOT NULL,
                parsed_at     INTEGER NOT NULL,
                PRIMARY KEY (bucket, key, etag)
              ) WITHOUT ROWID""",
              """
              CREATE TABLE parquet_row_groups (
                bucket     TEXT    NOT NULL,
                key        TEXT    NOT NULL,
                etag       TEXT    NOT NULL,
                rg         INTEGER NOT NULL,
                row_count  INTEGER NOT NULL,
                first_byte INTEGER NOT NULL,
                length     INTEGER NOT NULL,
                PRIMARY KEY (bucket, key, etag, rg)
              ) WITHOUT ROWID""",
              """
              CREATE TABLE parquet_chunks (
                bucket              TEXT    NOT NULL,
                key                 TEXT    NOT NULL,
                etag                TEXT    NOT NULL,
                rg                  INTEGER NOT NULL,
                position            INTEGER NOT NULL,
                column_path         TEXT    NOT NULL,
                physical_type       TEXT    NOT NULL,
                codec               TEXT    NOT NULL,
                dictionary_offset   INTEGER NOT NULL,
                data_offset         INTEGER NOT NULL,
                compressed_size     INTEGER NOT NULL,
                min_value           REAL,
                max_value           REAL,
                column_index_offset INTEGER,
                column_index_length INTEGER,
                offset_index_offset INTEGER,
                offset_index_length INTEGER,
                PRIMARY KEY (bucket, key, etag, rg, position)
              ) WITHOUT ROWID"""),
          // 4: reads per block, the tie-breaker after last access in eviction order.
          List.of("ALTER TABLE blocks ADD COLUMN access_count INTEGER NOT NULL DEFAULT 0"),
          // 5: what users asked to keep (pins) or marked favorite, as the API received it.
          List.of(
              """
              CREATE TABLE saved_selections (
                id         INTEGER PRIMARY KEY,
                kind       TEXT    NOT NULL,
                spec       TEXT    NOT NULL,
                created_at INTEGER NOT NULL
              )"""),
          // 6: one row per background sync run (the seed design's sync_state, one row per run).
          List.of(
              """
              CREATE TABLE sync_state (
                id              INTEGER PRIMARY KEY,
                trigger         TEXT    NOT NULL,
                started_at      INTEGER NOT NULL,
                finished_at     INTEGER,
                objects_checked INTEGER NOT NULL DEFAULT 0,
                objects_changed INTEGER NOT NULL DEFAULT 0,
                bytes_fetched   INTEGER NOT NULL DEFAULT 0,
                errors          TEXT
              )"""),
          // 7: where the parts of multipart-uploaded object versions lie, as the upstream told us,
          // so GET ?partNumber= (the SDKs' multipart downloads) can be served offline.
          List.of(
              """
              CREATE TABLE object_parts (
                bucket      TEXT    NOT NULL,
                key         TEXT    NOT NULL,
                etag        TEXT    NOT NULL,
                part_number INTEGER NOT NULL,
                first_byte  INTEGER NOT NULL,
                length      INTEGER NOT NULL,
                PRIMARY KEY (bucket, key, etag, part_number)
              ) WITHOUT ROWID"""));

  private Schema() {}

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
