package io.strata.cache.meta;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The background sync runs, one row each in {@code sync_state}: when, why, and what they did. */
public final class SyncLog {

  /**
   * One run.
   *
   * @param finishedAt null while it runs (or if the process stopped during it)
   * @param errors what went wrong, one per line, or null
   */
  public record Run(long id, String trigger, Instant startedAt, Instant finishedAt, long objectsChecked,
      long objectsChanged, long bytesFetched, String errors) {}

  private final MetadataStore store;

  public SyncLog(MetadataStore store) {
    this.store = requireNonNull(store, "store");
  }

  /** @return the new run's id */
  public long started(String trigger, Instant at) {
    return store.call("record sync start", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO sync_state (trigger, started_at) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, trigger);
        ps.setLong(2, at.toEpochMilli());
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          return keys.getLong(1);
        }
      }
    });
  }

  public void finished(long id, Instant at, long checked, long changed, long bytes, String errors) {
    store.call("record sync end", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE sync_state SET finished_at = ?, objects_checked = ?,"
          + " objects_changed = ?, bytes_fetched = ?, errors = ? WHERE id = ?")) {
        ps.setLong(1, at.toEpochMilli());
        ps.setLong(2, checked);
        ps.setLong(3, changed);
        ps.setLong(4, bytes);
        if (errors == null) {
          ps.setNull(5, Types.VARCHAR);
        } else {
          ps.setString(5, errors);
        }
        ps.setLong(6, id);
        ps.executeUpdate();
        return null;
      }
    });
  }

  /** The latest runs, newest first. */
  public List<Run> latest(int limit) {
    return store.call("read sync runs", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT id, trigger, started_at, finished_at, objects_checked,"
          + " objects_changed, bytes_fetched, errors FROM sync_state ORDER BY id DESC LIMIT ?")) {
        ps.setInt(1, limit);
        List<Run> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long finished = rs.getLong(4);
            Instant finishedAt = rs.wasNull() ? null : Instant.ofEpochMilli(finished);
            out.add(new Run(rs.getLong(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), finishedAt,
                rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getString(8)));
          }
        }
        return out;
      }
    });
  }
}
