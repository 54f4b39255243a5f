package io.strata.proxy.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * {@code strata.s3.cors.*}: which web origins may call the S3 port from a browser (DuckDB-WASM,
 * a web viewer). Unset, no CORS headers are sent and preflights are refused, as S3 does for a
 * bucket without a CORS configuration.
 *
 * @param allowedOrigins origins such as {@code http://localhost:5173}, or {@code *} for any
 */
@ConfigurationProperties("strata.s3.cors")
public record S3CorsConfig(@Nullable List<String> allowedOrigins) {}
