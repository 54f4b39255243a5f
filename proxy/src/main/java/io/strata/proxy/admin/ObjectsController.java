package io.strata.proxy.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.strata.cache.BlockCache;
import io.strata.cache.BlockLayout;
import io.strata.cache.CachedObject;
import io.strata.cache.ObjectVersion;
import io.strata.cache.Retention;
import io.strata.cache.parquet.ByteSpan;
import io.strata.proxy.parquet.PriorityBook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects Strata holds ({@code GET /api/objects}), each with its block map — which byte ranges
 * are cached, where the Parquet footer is — its priority class and whether it is pinned; and
 * {@code POST /api/objects/evict} to drop the blocks of an object or of every object under a prefix.
 */
@Controller("/api/objects")
@ExecuteOn(TaskExecutors.BLOCKING)
final class ObjectsController {

  static final int MAX_LIMIT = 1000;

  @Serdeable
  record Block(long first, long last, boolean cached) {}

  @Serdeable
  record Range(long first, long last) {}

  @Serdeable
  record ObjectView(String bucket, String key, String etag, long size, long cachedBytes, List<Block> blocks,
      @Nullable Range footer, int priority, boolean pinned, @Nullable Instant lastAccess) {}

  @Serdeable
  record Page(List<ObjectView> objects, @Nullable String next) {}

  /** {@code {"bucket": "…", "key": "…"}} or {@code {"bucket": "…", "prefix": "…"}}. */
  @Serdeable
  record Eviction(@Nullable String bucket, @Nullable String key, @Nullable String prefix) {}

  @Serdeable
  record Evicted(int objects, long bytes) {}

  private final BlockCache cache;
  private final PriorityBook priorities;

  ObjectsController(BlockCache cache, PriorityBook priorities) {
    this.cache = cache;
    this.priorities = priorities;
  }

  @Get
  HttpResponse<?> list(@QueryValue @Nullable String bucket, @QueryValue @Nullable String prefix,
      @QueryValue @Nullable String after, @QueryValue @Nullable Integer limit) {
    int max = limit == null ? 100 : limit;
    if (max < 1 || max > MAX_LIMIT) {
      return HttpResponse.badRequest(new Problem("limit: " + max + " (expected: 1 to " + MAX_LIMIT + ")"));
    }
    List<CachedObject> held = cache.cachedObjects(bucket, prefix, after, max + 1);
    List<ObjectView> objects = new ArrayList<>();
    for (CachedObject o : held.subList(0, Math.min(max, held.size()))) {
      objects.add(describe(o));
    }
    // "after" is a key: a page that ends inside a bucket continues in it (list one bucket to page)
    String next = held.size() > max ? held.get(max - 1).version().key() : null;
    return HttpResponse.ok(new Page(objects, next));
  }

  @Post("/evict")
  HttpResponse<?> evict(@Body Eviction request) {
    if (request.bucket() == null || request.bucket().isBlank()) {
      return HttpResponse.badRequest(new Problem("bucket is required"));
    }
    if ((request.key() == null) == (request.prefix() == null)) {
      return HttpResponse.badRequest(new Problem("give either key or prefix"));
    }
    List<String> keys = request.key() != null ? List.of(request.key())
        : cache.cachedObjects(request.bucket(), request.prefix(), null, Integer.MAX_VALUE).stream()
            .map(o -> o.version().key()).toList();
    long bytes = 0;
    for (String key : keys) {
      bytes += cache.evictObject(request.bucket(), key);
    }
    return HttpResponse.ok(new Evicted(keys.size(), bytes));
  }

  private ObjectView describe(CachedObject held) {
    ObjectVersion v = held.version();
    List<Block> blocks = new ArrayList<>();
    long cached = 0;
    int priority = 0;
    if (v.size() > 0) {
      BlockLayout layout = cache.layout(v.size());
      for (int i = 0; i < layout.blockCount(); i++) {
        boolean here = cache.contains(v.block(i));
        blocks.add(new Block(layout.start(i), layout.end(i) - 1, here));
        if (here) {
          cached += layout.length(i);
        }
        priority = Math.max(priority, priorities.priority(v.block(i)));
      }
    }
    Range footer = cache.parquet().footer(v.bucket(), v.key(), v.etag())
        .map(f -> f.span()).map(ObjectsController::range).orElse(null);
    return new ObjectView(v.bucket(), v.key(), v.etag(), v.size(), cached, blocks, footer, priority,
        priority == Retention.PROTECTED, held.lastAccess());
  }

  private static Range range(ByteSpan span) {
    return new Range(span.offset(), span.last());
  }
}
