package io.strata.bench;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Counts the object GETs and HEADs the upstream serves, per key: how scenario 4 sees how many
 * upstream requests 64 concurrent cold reads of one block turn into, for Strata and nginx alike.
 * Counting inside the upstream (rather than asking each cache) measures both the same way.
 */
final class CountingBlobStore extends ForwardingBlobStore {

  /** Upstream requests for one key, and the Range header of each GET ({@code -} for none). */
  record Counts(long gets, long heads, List<String> ranges) {}

  private final Map<String, LongAdder> gets = new ConcurrentHashMap<>();
  private final Map<String, Queue<String>> ranges = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> heads = new ConcurrentHashMap<>();

  CountingBlobStore(BlobStore delegate) {
    super(delegate);
  }

  @Override
  public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
    String key = request.bucket() + "/" + request.key();
    gets.computeIfAbsent(key, k -> new LongAdder()).increment();
    ranges.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>())
        .add(request.range() == null ? "-" : request.range());
    return super.getBlob(request);
  }

  @Override
  public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
    heads.computeIfAbsent(request.bucket() + "/" + request.key(), k -> new LongAdder()).increment();
    return super.blobMetadata(request);
  }

  Counts counts(String bucketAndKey) {
    Queue<String> seen = ranges.get(bucketAndKey);
    return new Counts(sum(gets.get(bucketAndKey)), sum(heads.get(bucketAndKey)),
        seen == null ? List.of() : List.copyOf(seen));
  }

  private static long sum(LongAdder adder) {
    return adder == null ? 0 : adder.sum();
  }
}
