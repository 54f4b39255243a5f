package io.strata.cache.uploads;

import java.nio.file.Path;

/** A body written in full and fsync'ed (file and directory), not yet referenced by a queue row. */
public record StagedFile(Path path, long size) {}
