package io.strata.proxy.admin;

import io.micronaut.serde.annotation.Serdeable;

/** The admin API's error body: {@code {"message": "..."}}. */
@Serdeable
record Problem(String message) {}
