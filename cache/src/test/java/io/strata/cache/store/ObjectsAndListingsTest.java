package io.strata.cache.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cache.BlockKey;
import io.strata.cache.BlockWriter;
import io.strata.cache.ListedObject;
import io.strata.cache.ObjectVersion;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectsAndListingsTest extends CacheTestSupport {

  private static final long LARGE = 1L << 30;
  private static final Instant MODIFIED = Instant.parse("2024-06-01T12:00:00.123Z");

  private static ObjectVersion version(String key, String etag) {
    return new ObjectVersion("bucket", key, etag, 3 * BLOCK_SIZE, MODIFIED, "application/x-parquet",
        Map.of("owner", "ana \"quoted\"\nline2", "ünï", "✓"), MODIFIED.plusSeconds(60));
  }

  private static ListedObject listed(String key) {
    return new ListedObject(key, "\"" + key.hashCode() + "\"", key.length(), MODIFIED);
  }

  @Test
  void recordObject_thenObject_returnsIt() throws Exception {
    open(LARGE);
    ObjectVersion v = version("data/año 2024/+file%20name.parquet", "\"abc\"");

    cache.recordObject(v);

    assertThat(cache.object("bucket", v.key())).contains(v);
    assertThat(cache.object("bucket", "other")).isEmpty();
    assertThat(cache.stats().objects()).isEqualTo(1);
    // Also listable offline.
    assertThat(cache.knownObjects("bucket", "data/", null, 10))
        .containsExactly(new ListedObject(v.key(), v.etag(), v.size(), v.lastModified()));
  }

  @Test
  void recordObject_newEtag_dropsOldBlocks() throws Exception {
    open(LARGE);
    ObjectVersion v1 = version("obj", "\"v1\"");
    cache.recordObject(v1);
    fill(cache, v1.block(0), bytes(BLOCK_SIZE, 1));
    fill(cache, v1.block(1), bytes(BLOCK_SIZE, 2));

    cache.recordObject(v1.validated(MODIFIED.plusSeconds(120))); // same version: blocks stay
    assertThat(cache.contains(v1.block(0))).isTrue();

    ObjectVersion v2 = version("obj", "\"v2\"");
    cache.recordObject(v2);

    assertThat(cache.contains(v1.block(0))).isFalse();
    assertThat(cache.contains(v1.block(1))).isFalse();
    assertThat(cache.stats().bytes()).isZero();
    assertThat(cache.object("bucket", "obj")).contains(v2);
    assertThat(new BlockPaths(dir).block(v1.block(0))).doesNotExist();
  }

  @Test
  void commit_afterObjectMovedToNewEtag_isNotCached() throws Exception {
    open(LARGE);
    ObjectVersion v1 = version("obj", "\"v1\"");
    cache.recordObject(v1);
    BlockWriter writer = cache.tryStartFill(v1.block(0), BLOCK_SIZE).orElseThrow();
    writer.write(ByteBuffer.wrap(bytes(BLOCK_SIZE, 1)));

    cache.recordObject(version("obj", "\"v2\"")); // the upstream changed mid-fill
    writer.commit();

    assertThat(cache.contains(v1.block(0))).isFalse();
    assertThat(cache.fillDone(v1.block(0))).isDone();
  }

  @Test
  void markValidated_updatesValidatedAt() throws Exception {
    open(LARGE);
    ObjectVersion v = version("obj", "\"v1\"");
    cache.recordObject(v);
    assertThat(cache.object("bucket", "obj")).isPresent(); // now cached in memory

    Instant later = MODIFIED.plusSeconds(3600);
    cache.markValidated("bucket", "obj", later);

    assertThat(cache.object("bucket", "obj")).contains(v.validated(later));
    cache.markValidated("bucket", "unknown", later); // no-op
  }

  @Test
  void forgetObject_removesMetadataBlocksAndListing() throws Exception {
    open(LARGE);
    ObjectVersion v = version("obj", "\"v1\"");
    cache.recordObject(v);
    fill(cache, v.block(0), bytes(BLOCK_SIZE, 1));
    // A block of an older version recorded before the object (no objects row guards it).
    fill(cache, new BlockKey("bucket", "obj", "\"v0\"", 0), bytes(BLOCK_SIZE, 2));
    cache.recordObject(v);
    assertThat(cache.object("bucket", "obj")).isPresent();

    cache.forgetObject("bucket", "obj");

    assertThat(cache.object("bucket", "obj")).isEmpty();
    assertThat(cache.contains(v.block(0))).isFalse();
    assertThat(cache.knownObjects("bucket", "", null, 10)).isEmpty();
    assertThat(cache.stats()).satisfies(s -> {
      assertThat(s.bytes()).isZero();
      assertThat(s.objects()).isZero();
    });
  }

  @Test
  void knownObjects_prefixWithLikeWildcards_matchesLiterally() throws Exception {
    open(LARGE);
    List<String> keys = List.of("a%b", "a%c/d", "a_b", "aXb", "ab", "a%", "A%b", "a\\%b");
    cache.recordListing("bucket", "", keys.stream().map(ObjectsAndListingsTest::listed).toList(), true);

    assertThat(keysOf(cache.knownObjects("bucket", "a%", null, 100)))
        .containsExactly("a%", "a%b", "a%c/d");
    assertThat(keysOf(cache.knownObjects("bucket", "a_", null, 100))).containsExactly("a_b");
    assertThat(keysOf(cache.knownObjects("bucket", "a\\", null, 100))).containsExactly("a\\%b");
    assertThat(keysOf(cache.knownObjects("bucket", "zzz", null, 100))).isEmpty();
  }

  @Test
  void knownObjects_unicodeKeys_sortInUtf8ByteOrder() throws Exception {
    open(LARGE);
    // U+FFFD sorts after an emoji in UTF-16 (Java's String order) but before it in UTF-8 (S3's).
    List<String> keys = List.of("z", "é", "日本/データ", "\uD83D\uDE00 smile", "\uFFFD", "A", "a b", "a+b",
        "a\nnewline", "\uDBFF\uDFFF max");
    cache.recordListing("bucket", null, keys.stream().map(ObjectsAndListingsTest::listed).toList(), false);

    List<String> utf8Order = keys.stream()
        .sorted(Comparator.comparing((String k) -> k.getBytes(UTF_8), Arrays::compareUnsigned))
        .toList();
    assertThat(keysOf(cache.knownObjects("bucket", "", null, 100))).isEqualTo(utf8Order);
    assertThat(utf8Order.indexOf("\uFFFD")).isLessThan(utf8Order.indexOf("\uD83D\uDE00 smile"));
    // Paging with startAfter and limit walks the same order.
    assertThat(keysOf(cache.knownObjects("bucket", "", utf8Order.get(2), 3)))
        .isEqualTo(utf8Order.subList(3, 6));
    assertThat(keysOf(cache.knownObjects("bucket", "\uDBFF\uDFFF", null, 100)))
        .containsExactly("\uDBFF\uDFFF max");
  }

  @Test
  void recordListing_complete_forgetsOnlyUnlistedKeysUnderPrefix() throws Exception {
    open(LARGE);
    cache.recordListing("bucket", "",
        List.of(listed("p%/old"), listed("p%/keep"), listed("pX/other"), listed("p%")), false);
    cache.recordListing("other-bucket", "", List.of(listed("p%/old")), false);

    cache.recordListing("bucket", "p%/", List.of(listed("p%/keep"), listed("p%/new")), true);

    assertThat(keysOf(cache.knownObjects("bucket", "", null, 100)))
        .containsExactly("p%", "p%/keep", "p%/new", "pX/other");
    assertThat(keysOf(cache.knownObjects("other-bucket", "", null, 100))).containsExactly("p%/old");
  }

  @Test
  void recordListing_incomplete_keepsUnlistedKeys() throws Exception {
    open(LARGE);
    cache.recordListing("bucket", "", List.of(listed("a"), listed("b")), false);
    ListedObject newer = new ListedObject("a", "\"new\"", 99, MODIFIED.plusSeconds(1));

    cache.recordListing("bucket", "", List.of(newer), false);

    assertThat(cache.knownObjects("bucket", "", null, 100)).containsExactly(newer, listed("b"));
  }

  @Test
  void knownBuckets_fromObjectsAndListings() throws Exception {
    open(LARGE);
    cache.recordObject(version("k", "\"e\""));
    cache.recordListing("zeta", "", List.of(listed("x")), true);
    cache.recordListing("alpha", "", List.of(listed("y")), true);

    assertThat(cache.knownBuckets()).containsExactly("alpha", "bucket", "zeta");
  }

  @Test
  void knownObjects_badLimit_isRejected() throws Exception {
    open(LARGE);
    assertThat(cache.knownObjects("bucket", "", null, 0)).isEmpty();
    assertThatThrownBy(() -> cache.knownObjects("bucket", "", null, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("limit: -1 (expected: >= 0)");
  }

  private static List<String> keysOf(List<ListedObject> objects) {
    return objects.stream().map(ListedObject::key).toList();
  }

  @Test
  void recordListing_complete_forgetsObjectsAndBlocksTheUpstreamNoLongerHas() throws Exception {
    open(1L << 30);
    ObjectVersion kept = version("dir/kept", "\"k\"");
    ObjectVersion deleted = version("dir/deleted", "\"d\"");
    cache.recordObject(kept);
    cache.recordObject(deleted);
    fill(cache, deleted.block(0), bytes(BLOCK_SIZE, 1));

    cache.recordListing("bucket", "dir/", List.of(listed("dir/kept")), true);

    assertThat(cache.object("bucket", "dir/deleted")).isEmpty();
    assertThat(cache.contains(deleted.block(0))).isFalse();
    assertThat(cache.object("bucket", "dir/kept")).isPresent();
  }
}
