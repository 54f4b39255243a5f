package io.strata.proxy.s3;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.strata.cache.uploads.PendingUpload;
import io.strata.cache.uploads.UploadQueue;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.s3.xml.UploadXml;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** DeleteObject and DeleteObjects (POST ?delete): each delete is queued like any other write. */
@Singleton
final class DeleteObjects {

  /** A DeleteObjects document for 1,000 keys of 1,024 bytes stays well below this. */
  private static final int MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

  private final WritePath writes;
  private final UploadQueue queue;

  DeleteObjects(WritePath writes, UploadQueue queue) {
    this.writes = writes;
    this.queue = queue;
  }

  /** DeleteObject: 204 whether or not the key existed, as in S3. */
  void deleteOne(S3Request request, NettyResponse response) {
    WritePath.validateKey(request.key());
    delete(request.bucket(), request.key());
    response.sendFull(HttpResponseStatus.NO_CONTENT, "application/xml", new byte[0], Map.of(), true);
  }

  void deleteMany(S3Request request, InputStream body, NettyResponse response) throws IOException {
    UploadXml.DeleteRequest delete =
        UploadXml.parseDelete(BodyStager.readSmall(request, body, MAX_DOCUMENT_BYTES));
    List<String> deleted = new ArrayList<>();
    List<UploadXml.DeleteError> errors = new ArrayList<>();
    for (String key : delete.keys()) {
      try {
        // Per key, as S3 does: one hostile key is an <Error> entry, the others are still deleted.
        ObjectKeys.requireValid(key);
        delete(request.bucket(), key);
        deleted.add(key);
      } catch (S3Exception e) {
        errors.add(new UploadXml.DeleteError(key, e.code().code(), e.getMessage()));
      }
    }
    response.sendFull(
        HttpResponseStatus.OK, "application/xml", UploadXml.deleteResult(deleted, errors, delete.quiet()), Map.of(),
        false);
  }

  private void delete(String bucket, String key) {
    String base = writes.baseEtag(bucket, key);
    PendingUpload queued = writes.enqueue(null, () -> queue.enqueueDelete(bucket, key, base));
    writes.deliver(queued);
  }
}
