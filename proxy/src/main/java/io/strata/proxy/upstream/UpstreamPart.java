package io.strata.proxy.upstream;

/**
 * The upstream's answer to {@code HEAD ?partNumber=N}.
 *
 * @param partsCount the object's number of parts ({@code x-amz-mp-parts-count}); 0 when the
 *     upstream sent none, as S3 does for an object that was not uploaded in parts
 */
public record UpstreamPart(long firstByte, long length, int partsCount) {}
