package io.strata.proxy.s3;

import io.strata.proxy.config.BucketAllowList;
import io.strata.proxy.config.S3ServerConfig;
import io.strata.proxy.metrics.RequestMetrics;
import io.strata.proxy.s3.auth.Authentication;
import io.strata.proxy.s3.auth.RequestAuthenticator;
import io.strata.proxy.s3.xml.S3ErrorCode;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.upstream.UpstreamUnavailableException;
import jakarta.inject.Singleton;
import java.io.InputStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request path, top to bottom: authenticate the request, parse and classify it into one
 * {@link S3Operation}, check its bucket is served, run that operation, and turn every failure into
 * an S3 XML error (never a stack trace).
 */
@Singleton
final class S3Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(S3Dispatcher.class);
  /**
   * One line per request: method, target, status, milliseconds, client key, request id. Its level
   * is set like any other logger's ({@code logger.levels.strata.access: WARN} silences it).
   * Default format: {@code GET /logs/a.parquet 206 3ms field-laptop 1A2B3C}.
   */
  private static final Logger access = LoggerFactory.getLogger("strata.access");

  private final RequestAuthenticator authenticator;
  private final S3RequestParser parser;
  private final BucketAllowList buckets;
  private final GetObject getObject;
  private final ListObjectsV2 listObjects;
  private final BucketOperations bucketOperations;
  private final PutObject putObject;
  private final DeleteObjects deletes;
  private final MultipartUploads multipart;
  private final RequestMetrics metrics;
  private final S3Cors cors;

  S3Dispatcher(
      S3ServerConfig config,
      RequestAuthenticator authenticator,
      BucketAllowList buckets,
      GetObject getObject,
      ListObjectsV2 listObjects,
      BucketOperations bucketOperations,
      PutObject putObject,
      DeleteObjects deletes,
      MultipartUploads multipart,
      RequestMetrics metrics,
      S3Cors cors) {
    this.authenticator = authenticator;
    this.parser = new S3RequestParser(config.domains());
    this.buckets = buckets;
    this.getObject = getObject;
    this.listObjects = listObjects;
    this.bucketOperations = bucketOperations;
    this.putObject = putObject;
    this.deletes = deletes;
    this.multipart = multipart;
    this.metrics = metrics;
    this.cors = cors;
  }

  void dispatch(
      String method,
      String uri,
      Map<String, String> headers,
      InputStream body,
      String requestId,
      NettyResponse response) {
    boolean head = "HEAD".equalsIgnoreCase(method);
    String resource = uri;
    long started = System.nanoTime();
    String operation = "REFUSED"; // until the request is authenticated and classified
    String principal = "-";
    try {
      response.addHeadersToEveryAnswer(cors.headersFor(headers.get("origin")));
      if ("OPTIONS".equalsIgnoreCase(method)) {
        operation = "CORS_PREFLIGHT";
        cors.preflight(headers, response); // browsers send preflights without credentials
        return;
      }
      // Signatures are checked before anything else, locally, so offline works the same.
      Authentication authentication = authenticator.authenticate(method, uri, headers);
      principal = authentication.principal();
      S3Request request = parser.parse(method, uri, headers, requestId, authentication);
      operation = request.operation().name();
      resource = request.resource();
      if (request.bucket() != null && !buckets.allows(request.bucket())) {
        throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "Strata does not serve bucket "
            + request.bucket() + " (strata.buckets)");
      }
      switch (request.operation()) {
        case GET_OBJECT, HEAD_OBJECT -> getObject.handle(request, response);
        case LIST_OBJECTS_V2 -> listObjects.handle(request, response);
        case LIST_BUCKETS -> bucketOperations.listBuckets(request, response);
        case HEAD_BUCKET -> bucketOperations.headBucket(request, response);
        case GET_BUCKET_LOCATION -> bucketOperations.location(request, response);
        case PUT_OBJECT -> putObject.handle(request, body, response);
        case DELETE_OBJECT -> deletes.deleteOne(request, response);
        case DELETE_OBJECTS -> deletes.deleteMany(request, body, response);
        case CREATE_MULTIPART_UPLOAD -> multipart.create(request, response);
        case UPLOAD_PART -> multipart.uploadPart(request, body, response);
        case LIST_PARTS -> multipart.listParts(request, response);
        case COMPLETE_MULTIPART_UPLOAD -> multipart.complete(request, body, response);
        case ABORT_MULTIPART_UPLOAD -> multipart.abort(request, response);
        case LIST_MULTIPART_UPLOADS -> multipart.listUploads(request, response);
        case LIST_OBJECTS -> listObjects.handleV1(request, response);
        case UNSUPPORTED ->
            throw new S3Exception(
                S3ErrorCode.NOT_IMPLEMENTED,
                "Strata does not implement " + request.unsupportedReason() + " yet");
      }
    } catch (S3Exception e) {
      response.sendError(e, resource, head);
    } catch (UpstreamUnavailableException e) {
      response.sendError(Offline.unavailable(e.getMessage()), resource, head);
    } catch (NettyResponse.ClientGoneException e) {
      response.abort();
    } catch (Throwable t) {
      log.error("request {} {} failed", method, uri, t);
      response.sendError(
          new S3Exception(S3ErrorCode.INTERNAL_ERROR, "We encountered an internal error. Please try again."),
          resource,
          head);
    } finally {
      long nanos = System.nanoTime() - started;
      metrics.record(operation, response.status(), java.time.Duration.ofNanos(nanos));
      if (access.isInfoEnabled()) {
        String status = response.status() == 0 ? "-" : Integer.toString(response.status());
        long millis = nanos / 1_000_000;
        // The fields also go as key-value pairs, which the JSON log format (logback-json.xml)
        // writes as separate fields for log shippers.
        access.atInfo()
            .addKeyValue("method", method)
            .addKeyValue("uri", uri)
            .addKeyValue("status", status)
            .addKeyValue("millis", millis)
            .addKeyValue("principal", principal)
            .addKeyValue("requestId", requestId)
            .log("{} {} {} {}ms {} {}", method, uri, status, millis, principal, requestId);
      }
    }
  }

  /** Every worker is busy and the queue is full: S3's answer to overload is 503 SlowDown. */
  void rejectBusy(String method, String requestId, NettyResponse response) {
    response.sendError(new S3Exception(S3ErrorCode.SLOW_DOWN), "/", "HEAD".equalsIgnoreCase(method));
  }
}
