package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NginxConfigTest {

  @Test
  void render_sliceCache_portsPathsAndTuning() {
    String conf = NginxConfig.render(Path.of("/tmp/x"), 18080, 19000);

    assertThat(conf)
        .contains("listen 127.0.0.1:18080")
        .contains("server 127.0.0.1:19000;")
        .contains("keepalive 32;")
        .contains("proxy_pass http://s3;")
        .contains("slice 1m;")
        .contains("proxy_cache_key $uri$is_args$args$slice_range;")
        .contains("proxy_set_header Range $slice_range;")
        .contains("proxy_cache_lock on;")
        .contains("proxy_http_version 1.1;")
        .contains("sendfile on;")
        .contains("worker_processes auto;")
        .contains("proxy_cache_path /tmp/x/cache ")
        .contains("pid /tmp/x/nginx.pid;");
    // every path nginx writes is under the run's directory, so it runs unprivileged
    assertThat(conf.lines().filter(l -> l.contains("_path ") || l.contains("pid ") || l.contains("error_log ")))
        .allSatisfy(l -> assertThat(l).contains("/tmp/x/"));
  }
}
