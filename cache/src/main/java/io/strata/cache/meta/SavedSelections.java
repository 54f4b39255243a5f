package io.strata.cache.meta;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Selections users asked Strata to keep — pins ("keep offline") and favorites — stored as the
 * application's own text (the request it received), so they survive restarts. The cache does not
 * interpret them; the application re-plans them into byte ranges.
 */
public final class SavedSelections {

  /** One saved selection. */
  public record Saved(long id, String kind, String spec, Instant createdAt) {}

  private final MetadataStore store;

  public SavedSelections(MetadataStore store) {
    this.store = requireNonNull(store, "store");
  }

  /** @return the new selection's id */
  public long add(String kind, String spec, Instant createdAt) {
    return store.call("save selection", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO saved_selections (kind, spec, created_at) VALUES (?, ?, ?)",
          Statement.RETURN_GENERATED_KEYS)) {
        ps.setString(1, kind);
        ps.setString(2, spec);
        ps.setLong(3, createdAt.toEpochMilli());
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          return keys.getLong(1);
        }
      }
    });
  }

  /** The selections of {@code kind}, oldest first. */
  public List<Saved> list(String kind) {
    return store.call("list selections", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT id, spec, created_at FROM saved_selections WHERE kind = ? ORDER BY id")) {
        ps.setString(1, kind);
        List<Saved> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Saved(rs.getLong(1), kind, rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
          }
        }
        return out;
      }
    });
  }

  /** @return whether a selection of {@code kind} with {@code id} existed */
  public boolean remove(String kind, long id) {
    return store.call("remove selection", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM saved_selections WHERE kind = ? AND id = ?")) {
        ps.setString(1, kind);
        ps.setLong(2, id);
        return ps.executeUpdate() > 0;
      }
    });
  }
}
