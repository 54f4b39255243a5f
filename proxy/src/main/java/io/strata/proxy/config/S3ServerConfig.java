package io.strata.proxy.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.List;

/**
 * {@code strata.s3.*}: the S3 endpoint clients talk to.
 *
 * @param domains host names under which virtual-host style requests ({@code bucket.localhost})
 *     are recognised
 * @param workerThreads threads that run blocking work (disk, SQLite, upstream) off the event loop
 */
@ConfigurationProperties("strata.s3")
public record S3ServerConfig(
    @Bindable(defaultValue = "9100") int port,
    @Bindable(defaultValue = "127.0.0.1") String bind,
    @Bindable(defaultValue = "localhost") List<String> domains,
    @Bindable(defaultValue = "64") int workerThreads) {}
