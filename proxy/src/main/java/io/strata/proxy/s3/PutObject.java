package io.strata.proxy.s3;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.strata.cache.uploads.PendingUpload;
import io.strata.cache.uploads.PutRequest;
import io.strata.cache.uploads.UploadQueue;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PutObject: the body is verified and made durable locally, queued, and only then acknowledged
 * with the ETag S3 would give (the hex MD5). GET, HEAD and listings see it at once.
 */
@Singleton
final class PutObject {

  private final WritePath writes;
  private final BodyStager stager;
  private final UploadQueue queue;

  PutObject(WritePath writes, BodyStager stager, UploadQueue queue) {
    this.writes = writes;
    this.stager = stager;
    this.queue = queue;
  }

  void handle(S3Request request, InputStream body, NettyResponse response) throws IOException {
    WritePath.validateKey(request.key());
    BodyStager.requireLength(request);
    writes.requireRoom(BodyStager.declaredLength(request));
    String base = writes.baseEtag(request.bucket(), request.key());
    BodyStager.Staged staged = stager.stage(request, body);
    PutRequest put =
        new PutRequest(
            request.bucket(),
            request.key(),
            staged.file(),
            staged.etag(),
            staged.checksumAlgorithm(),
            staged.checksumBase64(),
            BodyStager.contentType(request),
            BodyStager.userMetadata(request),
            List.of(),
            base);
    PendingUpload queued = writes.enqueue(staged.file(), () -> queue.enqueuePut(put));
    String etag = writes.deliver(queued);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ETag", etag);
    if (staged.checksumAlgorithm() != null) {
      headers.put("x-amz-checksum-" + staged.checksumAlgorithm().toLowerCase(Locale.ROOT), staged.checksumBase64());
    }
    response.sendFull(HttpResponseStatus.OK, "application/xml", new byte[0], headers, false);
  }
}
