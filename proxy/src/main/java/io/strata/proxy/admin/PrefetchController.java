package io.strata.proxy.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.strata.proxy.parquet.PrefetchJob;
import io.strata.proxy.parquet.PrefetchJobs;
import io.strata.proxy.parquet.PrefetchRequest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Prefetch jobs on the admin port: {@code POST /api/prefetch} plans and starts one,
 * {@code GET /api/prefetch/{id}} reports its progress. Errors are JSON with a message.
 */
@Controller("/api/prefetch")
@ExecuteOn(TaskExecutors.BLOCKING)
final class PrefetchController {

  /** One object's planned ranges. */
  @Serdeable
  record ObjectPlan(String key, String etag, long size, boolean parquet, long bytes, List<long[]> ranges) {}

  /** A job as the admin API shows it; {@code ranges} are inclusive {@code [first, last]} pairs. */
  @Serdeable
  record Job(
      String id,
      String state,
      String bucket,
      String priority,
      Instant createdAt,
      @Nullable Instant finishedAt,
      long bytesTotal,
      long bytesDone,
      long bytesFetched,
      double percent,
      List<ObjectPlan> objects,
      List<String> errors) {

    static Job of(PrefetchJob job) {
      List<ObjectPlan> objects = job.selections().stream()
          .map(s -> new ObjectPlan(s.version().key(), s.version().etag(), s.version().size(), s.parquet(),
              s.bytes(), s.spans().stream().map(r -> new long[] {r.offset(), r.last()}).toList()))
          .toList();
      double percent = job.bytesTotal() == 0 ? 100 : 100.0 * job.bytesDone() / job.bytesTotal();
      return new Job(job.id(), job.state().name().toLowerCase(Locale.ROOT), job.request().bucket(),
          job.priority().name().toLowerCase(Locale.ROOT), job.createdAt(), job.finishedAt(), job.bytesTotal(),
          job.bytesDone(), job.bytesFetched(), Math.round(percent * 10) / 10.0, objects, job.errors());
    }
  }

  private final PrefetchJobs jobs;

  PrefetchController(PrefetchJobs jobs) {
    this.jobs = jobs;
  }

  @Post
  HttpResponse<?> start(@Body PrefetchRequest request) {
    return Planning.answer(HttpStatus.ACCEPTED, () -> Job.of(jobs.submit(request)));
  }

  @Get
  List<Job> list() {
    return jobs.jobs().stream().map(Job::of).toList();
  }

  @Get("/{id}")
  HttpResponse<?> get(@PathVariable String id) {
    return jobs.job(id).<HttpResponse<?>>map(j -> HttpResponse.ok(Job.of(j)))
        .orElseGet(() -> HttpResponse.notFound(new Problem("no prefetch job " + id)));
  }
}
