package io.strata.proxy.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.strata.proxy.parquet.PrefetchRequest;
import io.strata.proxy.parquet.VisibleSet;
import java.util.List;

/**
 * {@code PUT /api/visible}: replaces the visible set (what the user's charts show now) with the
 * given selections, each shaped like a prefetch request without a priority; {@code GET} shows it.
 */
@Controller("/api/visible")
@ExecuteOn(TaskExecutors.BLOCKING)
final class VisibleController {

  @Serdeable
  record Visible(@Nullable List<PrefetchRequest> selections) {}

  private final VisibleSet visible;

  VisibleController(VisibleSet visible) {
    this.visible = visible;
  }

  @Put
  HttpResponse<?> replace(@Body Visible body) {
    List<PrefetchRequest> selections = body.selections() == null ? List.of() : body.selections();
    return Planning.answer(HttpStatus.OK,
        () -> visible.replace(selections).stream().map(PrefetchController.Job::of).toList());
  }

  @Get
  List<PrefetchController.Job> current() {
    return visible.current().stream().map(PrefetchController.Job::of).toList();
  }
}
