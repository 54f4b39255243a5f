package io.strata.cache.uploads;

import io.strata.cache.common.FlatJson;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL over {@code multipart_uploads} and {@code multipart_parts}, called with the queue's lock held. */
final class MultipartRows {

  private static final String UPLOAD_COLUMNS =
      "SELECT upload_id, bucket, key, content_type, user_metadata, initiated FROM multipart_uploads ";

  private final QueuePaths paths;

  MultipartRows(QueuePaths paths) {
    this.paths = paths;
  }

  void insert(Connection c, MultipartUpload upload) throws SQLException {
    Sql.update(c,
        "INSERT INTO multipart_uploads (upload_id, bucket, key, content_type, user_metadata, initiated)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        upload.uploadId(), upload.bucket(), upload.key(), upload.contentType(),
        FlatJson.encode(upload.userMetadata()), upload.initiated().toEpochMilli());
  }

  Optional<MultipartUpload> upload(Connection c, String uploadId) throws SQLException {
    return Sql.first(c, UPLOAD_COLUMNS + "WHERE upload_id = ?", MultipartRows::mapUpload, uploadId);
  }

  List<MultipartUpload> uploadsUnder(Connection c, String bucket, String prefix) throws SQLException {
    return Sql.list(c,
        UPLOAD_COLUMNS + "WHERE bucket = ? AND " + Sql.startsWith("key") + " ORDER BY key, initiated, upload_id",
        MultipartRows::mapUpload, bucket, prefix, prefix, prefix);
  }

  List<UploadedPart> parts(Connection c, String uploadId) throws SQLException {
    return Sql.list(c,
        "SELECT part_number, local_path, size, etag, last_modified FROM multipart_parts"
            + " WHERE upload_id = ? ORDER BY part_number",
        rs -> new UploadedPart(rs.getInt(1), paths.resolve(rs.getString(2)), rs.getLong(3),
            rs.getString(4), Instant.ofEpochMilli(rs.getLong(5))),
        uploadId);
  }

  /** Stores {@code part}, replacing the one with its number; returns the replaced one. */
  Optional<UploadedPart> putPart(Connection c, String uploadId, UploadedPart part) throws SQLException {
    Optional<UploadedPart> old =
        parts(c, uploadId).stream().filter(p -> p.partNumber() == part.partNumber()).findFirst();
    Sql.update(c,
        "INSERT OR REPLACE INTO multipart_parts"
            + " (upload_id, part_number, local_path, size, etag, last_modified) VALUES (?, ?, ?, ?, ?, ?)",
        uploadId, part.partNumber(), paths.relative(part.file()), part.size(), part.etag(),
        part.lastModified().toEpochMilli());
    return old;
  }

  void delete(Connection c, String uploadId) throws SQLException {
    Sql.update(c, "DELETE FROM multipart_parts WHERE upload_id = ?", uploadId);
    Sql.update(c, "DELETE FROM multipart_uploads WHERE upload_id = ?", uploadId);
  }

  private static MultipartUpload mapUpload(java.sql.ResultSet rs) throws SQLException {
    Map<String, String> metadata = Map.copyOf(FlatJson.decode(rs.getString(5)));
    return new MultipartUpload(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        metadata, Instant.ofEpochMilli(rs.getLong(6)));
  }
}
