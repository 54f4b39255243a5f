package io.strata.bench;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/** Where the three parties of a run listen, plus the upstream's request counter. */
record Endpoints(URI strata, URI nginx, URI upstream, URI counter) {
  Endpoints {
    requireNonNull(strata, "strata");
    requireNonNull(nginx, "nginx");
    requireNonNull(upstream, "upstream");
    requireNonNull(counter, "counter");
  }
}
