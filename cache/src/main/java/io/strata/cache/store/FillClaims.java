package io.strata.cache.store;

import io.strata.cache.BlockKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request coalescing: at most one fill per block runs at a time; other requests for the block wait
 * on its future instead of fetching the same bytes from upstream.
 */
final class FillClaims {

  private final ConcurrentHashMap<BlockKey, CompletableFuture<Void>> running =
      new ConcurrentHashMap<>();

  /** The new claim's future, or null if a fill of {@code key} is running. */
  CompletableFuture<Void> tryClaim(BlockKey key) {
    CompletableFuture<Void> claim = new CompletableFuture<>();
    return running.putIfAbsent(key, claim) == null ? claim : null;
  }

  /** Ends {@code claim} and wakes its waiters (normally, whatever the outcome). Idempotent. */
  void release(BlockKey key, CompletableFuture<Void> claim) {
    running.remove(key, claim);
    claim.complete(null);
  }

  /**
   * Completes when the running fill of {@code key} ends. A copy, so a waiter that cancels or
   * completes its future cannot release the other waiters early.
   */
  CompletableFuture<Void> done(BlockKey key) {
    CompletableFuture<Void> claim = running.get(key);
    return claim == null ? CompletableFuture.completedFuture(null) : claim.copy();
  }

  int size() {
    return running.size();
  }
}
