package io.strata.proxy.parquet;

import io.strata.cache.ObjectVersion;
import io.strata.cache.parquet.ByteSpan;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One prefetch: the byte ranges it selected and how far it got. Updated by the fetch tasks,
 * read by the admin API; every field is safe to read while tasks run.
 */
public final class PrefetchJob {

  /** Where a job is. */
  public enum State { RUNNING, DONE, FAILED }

  /** One object's share of a job: the ranges a reader of the selection needs. */
  public record Selection(ObjectVersion version, boolean parquet, List<ByteSpan> spans) {

    public long bytes() {
      return spans.stream().mapToLong(ByteSpan::length).sum();
    }
  }

  private final String id;
  private final PrefetchRequest request;
  private final PriorityClass priority;
  private final List<Selection> selections;
  private final Instant createdAt;
  private final long bytesTotal;
  private final AtomicLong bytesDone = new AtomicLong();
  private final AtomicLong bytesFetched = new AtomicLong();
  private final AtomicInteger tasksLeft;
  private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
  private final Clock clock;
  private volatile Instant finishedAt;

  PrefetchJob(String id, PrefetchRequest request, PriorityClass priority, List<Selection> selections,
      int tasks, Clock clock) {
    this.id = id;
    this.clock = clock;
    this.request = request;
    this.priority = priority;
    this.selections = List.copyOf(selections);
    this.createdAt = clock.instant();
    this.bytesTotal = selections.stream().mapToLong(Selection::bytes).sum();
    this.tasksLeft = new AtomicInteger(tasks);
    this.finishedAt = tasks == 0 ? createdAt : null;
  }

  public String id() {
    return id;
  }

  public PrefetchRequest request() {
    return request;
  }

  public PriorityClass priority() {
    return priority;
  }

  public List<Selection> selections() {
    return selections;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public long bytesTotal() {
    return bytesTotal;
  }

  public long bytesDone() {
    return bytesDone.get();
  }

  /** Bytes this job fetched from the upstream (block-aligned; what was cached already is not). */
  public long bytesFetched() {
    return bytesFetched.get();
  }

  public List<String> errors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  public State state() {
    if (tasksLeft.get() > 0) {
      return State.RUNNING;
    }
    return errors().isEmpty() ? State.DONE : State.FAILED;
  }

  void taskDone(long spanBytes, long fetched) {
    bytesDone.addAndGet(spanBytes);
    bytesFetched.addAndGet(fetched);
    finishTask();
  }

  void taskFailed(String error) {
    errors.add(error);
    finishTask();
  }

  private void finishTask() {
    if (tasksLeft.decrementAndGet() == 0) {
      finishedAt = clock.instant();
    }
  }
}
