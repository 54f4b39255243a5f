package io.strata.proxy.admin;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.strata.proxy.s3.xml.S3Exception;
import io.strata.proxy.upstream.UpstreamUnavailableException;
import java.io.IOException;

/**
 * The answers of admin calls that plan reads of objects (prefetch, the visible set): what went
 * wrong in planning becomes a status and a message the caller can act on.
 */
final class Planning {

  /** A call that plans; may fail the ways planning fails. */
  @FunctionalInterface
  interface Call {
    Object run() throws IOException;
  }

  private Planning() {}

  static HttpResponse<?> answer(HttpStatus success, Call call) {
    try {
      return HttpResponse.status(success).body(call.run());
    } catch (IllegalArgumentException e) {
      return HttpResponse.badRequest(new Problem(e.getMessage())); // bad request, unknown columns
    } catch (IllegalStateException e) {
      // well-formed, but the cache cannot take it (pins beyond the cap)
      return HttpResponse.status(HttpStatus.CONFLICT).body(new Problem(e.getMessage()));
    } catch (S3Exception e) {
      // NoSuchKey, NoSuchBucket, AccessDenied from the upstream: the request named something wrong
      return HttpResponse.status(HttpStatus.valueOf(e.code().status())).body(new Problem(e.getMessage()));
    } catch (UpstreamUnavailableException e) {
      return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(new Problem(
          "the upstream is unreachable and the footers needed to plan are not cached: " + e.getMessage()));
    } catch (IOException e) {
      return HttpResponse.serverError(new Problem("planning failed: " + e.getMessage()));
    }
  }
}
