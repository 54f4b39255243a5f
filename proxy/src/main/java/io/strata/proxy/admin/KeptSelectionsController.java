package io.strata.proxy.admin;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.strata.proxy.parquet.Favorites;
import io.strata.proxy.parquet.KeptSelections;
import io.strata.proxy.parquet.Pins;
import io.strata.proxy.parquet.PrefetchRequest;
import java.time.Instant;
import java.util.List;

/**
 * Pins ({@code /api/pins}: kept offline, never evicted) and favorites ({@code /api/favorites}:
 * evicted late), each with its offline readiness: the share of the bytes a reader of the
 * selection needs that are on disk and valid.
 */
final class KeptSelectionsController {

  /** One pin or favorite as the admin API shows it. */
  @Serdeable
  record Kept(long id, PrefetchRequest selection, Instant createdAt, long bytes, long cachedBytes,
      double readiness, @Nullable String problem) {

    static Kept of(KeptSelections.Kept k) {
      return new Kept(k.id(), k.spec(), k.createdAt(), k.bytes(), k.cachedBytes(), k.readiness(), k.problem());
    }
  }

  static HttpResponse<?> add(KeptSelections kept, PrefetchRequest request) {
    return Planning.answer(HttpStatus.CREATED, () -> Kept.of(kept.add(request)));
  }

  static HttpResponse<?> get(KeptSelections kept, long id, String what) {
    return kept.get(id).<HttpResponse<?>>map(k -> HttpResponse.ok(Kept.of(k)))
        .orElseGet(() -> HttpResponse.notFound(new Problem("no " + what + " " + id)));
  }

  static HttpResponse<?> remove(KeptSelections kept, long id, String what) {
    return kept.remove(id) ? HttpResponse.noContent() : HttpResponse.notFound(new Problem("no " + what + " " + id));
  }

  @Controller("/api/pins")
  @ExecuteOn(TaskExecutors.BLOCKING)
  static final class PinsController {
    private final Pins pins;

    PinsController(Pins pins) {
      this.pins = pins;
    }

    @Post
    HttpResponse<?> add(@Body PrefetchRequest request) {
      return KeptSelectionsController.add(pins, request);
    }

    @Get
    List<Kept> list() {
      return pins.list().stream().map(Kept::of).toList();
    }

    @Get("/{id}")
    HttpResponse<?> get(@PathVariable long id) {
      return KeptSelectionsController.get(pins, id, "pin");
    }

    @Delete("/{id}")
    HttpResponse<?> remove(@PathVariable long id) {
      return KeptSelectionsController.remove(pins, id, "pin");
    }
  }

  @Controller("/api/favorites")
  @ExecuteOn(TaskExecutors.BLOCKING)
  static final class FavoritesController {
    private final Favorites favorites;

    FavoritesController(Favorites favorites) {
      this.favorites = favorites;
    }

    @Post
    HttpResponse<?> add(@Body PrefetchRequest request) {
      return KeptSelectionsController.add(favorites, request);
    }

    @Get
    List<Kept> list() {
      return favorites.list().stream().map(Kept::of).toList();
    }

    @Get("/{id}")
    HttpResponse<?> get(@PathVariable long id) {
      return KeptSelectionsController.get(favorites, id, "favorite");
    }

    @Delete("/{id}")
    HttpResponse<?> remove(@PathVariable long id) {
      return KeptSelectionsController.remove(favorites, id, "favorite");
    }
  }
}
