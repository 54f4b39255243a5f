package io.strata.proxy.admin;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.strata.cache.meta.SyncLog;
import io.strata.proxy.parquet.BackgroundSync;
import java.time.Instant;
import java.util.List;

/** {@code POST /api/sync} runs a sync now and answers with what it did; {@code GET} lists runs. */
@Controller("/api/sync")
@ExecuteOn(TaskExecutors.BLOCKING)
final class SyncController {

  /** One run as the admin API shows it. */
  @Serdeable
  record Run(long id, String trigger, Instant startedAt, Instant finishedAt, long objectsChecked,
      long objectsChanged, long bytesFetched, List<String> errors) {

    static Run of(SyncLog.Run r) {
      return new Run(r.id(), r.trigger(), r.startedAt(), r.finishedAt(), r.objectsChecked(), r.objectsChanged(),
          r.bytesFetched(), r.errors() == null ? List.of() : List.of(r.errors().split("\n")));
    }

    static Run of(BackgroundSync.Run r) {
      return new Run(r.id(), r.trigger(), r.startedAt(), r.finishedAt(), r.objectsChecked(), r.objectsChanged(),
          r.bytesFetched(), r.errors());
    }
  }

  private final BackgroundSync sync;

  SyncController(BackgroundSync sync) {
    this.sync = sync;
  }

  @Post
  Run runNow() {
    return Run.of(sync.runNow("api"));
  }

  /** The run in progress ({@code phase}, objects checked of those to check), or 204 when none runs. */
  @Get("/current")
  io.micronaut.http.HttpResponse<?> current() {
    BackgroundSync.Progress p = sync.progress();
    return p == null ? io.micronaut.http.HttpResponse.noContent() : io.micronaut.http.HttpResponse.ok(new Current(
        p.trigger(), p.startedAt(), p.phase(), p.objectsChecked(), p.objectsToCheck()));
  }

  @Serdeable
  record Current(String trigger, Instant startedAt, String phase, long objectsChecked, long objectsToCheck) {}

  @Get
  List<Run> latest() {
    return sync.latest(50).stream().map(Run::of).toList();
  }
}
