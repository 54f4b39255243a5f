package io.strata.cache.meta;

import static java.util.Objects.requireNonNull;

import io.strata.cache.ObjectVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the parts of a multipart-uploaded object version lie, one row per part in
 * {@code object_parts}. Nothing in an object's bytes or ETag says where its parts begin, only the
 * upstream's answer to {@code ?partNumber=N}; keeping that answer lets a part be served offline.
 * Rows belong to one version and go with it.
 */
public final class PartBoundaries {

  /** Part {@code partNumber}: {@code length} bytes from {@code firstByte}. */
  public record Part(int partNumber, long firstByte, long length) {}

  private final MetadataStore store;

  public PartBoundaries(MetadataStore store) {
    this.store = requireNonNull(store, "store");
  }

  public Optional<Part> find(ObjectVersion version, int partNumber) {
    return store.call("read part boundaries", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT first_byte, length FROM object_parts"
          + " WHERE bucket = ? AND key = ? AND etag = ? AND part_number = ?")) {
        ps.setString(1, version.bucket());
        ps.setString(2, version.key());
        ps.setString(3, version.etag());
        ps.setInt(4, partNumber);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new Part(partNumber, rs.getLong(1), rs.getLong(2))) : Optional.empty();
        }
      }
    });
  }

  public void record(ObjectVersion version, Part part) {
    record(version, List.of(part));
  }

  /** Records the parts of an upload Strata delivered itself, from their sizes, in one transaction. */
  public void recordSizes(ObjectVersion version, List<Long> partSizes) {
    List<Part> parts = new ArrayList<>(partSizes.size());
    long first = 0;
    for (int i = 0; i < partSizes.size(); i++) {
      parts.add(new Part(i + 1, first, partSizes.get(i)));
      first += partSizes.get(i);
    }
    record(version, parts);
  }

  private void record(ObjectVersion version, List<Part> parts) {
    store.transaction("record part boundaries", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO object_parts"
          + " (bucket, key, etag, part_number, first_byte, length) VALUES (?, ?, ?, ?, ?, ?)")) {
        for (Part part : parts) {
          ps.setString(1, version.bucket());
          ps.setString(2, version.key());
          ps.setString(3, version.etag());
          ps.setInt(4, part.partNumber());
          ps.setLong(5, part.firstByte());
          ps.setLong(6, part.length());
          ps.addBatch();
        }
        ps.executeBatch();
        return null;
      }
    });
  }

  /** Deletes the rows of every version of the object but {@code keep} (all of them when null). */
  static void deleteOtherVersions(Connection c, String bucket, String key, String keep) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM object_parts WHERE bucket = ? AND key = ?"
        + (keep == null ? "" : " AND etag <> ?"))) {
      ps.setString(1, bucket);
      ps.setString(2, key);
      if (keep != null) {
        ps.setString(3, keep);
      }
      ps.executeUpdate();
    }
  }
}
