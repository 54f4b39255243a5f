package io.strata.proxy.parquet;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

/**
 * After a start, pins and favorites are marked again (their classes live in memory) and what
 * they select is fetched if missing — in the background, since planning may wait for the
 * upstream or find it offline.
 */
@Singleton
final class KeptSelectionsRestorer {

  private final Pins pins;
  private final Favorites favorites;

  KeptSelectionsRestorer(Pins pins, Favorites favorites) {
    this.pins = pins;
    this.favorites = favorites;
  }

  @EventListener
  void onStartup(StartupEvent event) {
    Thread t = new Thread(() -> {
      pins.restore(new java.util.ArrayList<>());
      favorites.restore(new java.util.ArrayList<>());
    }, "strata-restore-selections");
    t.setDaemon(true);
    t.start();
  }
}
