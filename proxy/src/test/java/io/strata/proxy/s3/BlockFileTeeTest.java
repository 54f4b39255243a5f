package io.strata.proxy.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.strata.cache.BlockKey;
import io.strata.cache.BlockWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BlockFileTeeTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void write_manyChunks_writtenInOrderThenCommitted_buffersReleased() throws IOException {
    BlockFileTee tee = new BlockFileTee(pool);
    RecordingWriter a = new RecordingWriter(0, false);
    RecordingWriter b = new RecordingWriter(1, false);
    List<ByteBuf> chunks = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ByteBuf chunk = Unpooled.copiedBuffer("a" + i + ";", StandardCharsets.US_ASCII);
      chunks.add(chunk);
      tee.write(a, chunk);
    }
    tee.commit(a);
    ByteBuf last = Unpooled.copiedBuffer("b0;", StandardCharsets.US_ASCII);
    chunks.add(last);
    tee.write(b, last);
    tee.commit(b);
    tee.finish();

    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      expected.append("a").append(i).append(";");
    }
    assertThat(a.bytes.toString()).isEqualTo(expected.toString());
    assertThat(events).containsSubsequence("commit 0", "write 1", "commit 1");
    assertThat(a.state).isEqualTo("committed");
    assertThat(b.state).isEqualTo("committed");
    assertThat(chunks).allSatisfy(c -> assertThat(c.refCnt()).isZero());
  }

  @Test
  void write_diskFails_laterBlocksAbortedNotCommitted_noException() throws IOException {
    BlockFileTee tee = new BlockFileTee(pool);
    RecordingWriter failing = new RecordingWriter(0, true);
    RecordingWriter next = new RecordingWriter(1, false);
    ByteBuf one = Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII);
    ByteBuf two = Unpooled.copiedBuffer("y", StandardCharsets.US_ASCII);

    tee.write(failing, one);
    tee.commit(failing);
    tee.write(next, two);
    tee.commit(next);
    tee.finish();

    assertThat(failing.state).isEqualTo("aborted");
    assertThat(next.state).isEqualTo("aborted");
    assertThat(next.bytes.toString()).isEmpty();
    assertThat(one.refCnt()).isZero();
    assertThat(two.refCnt()).isZero();
  }

  /** Records what the tee does to a block; the pool may call it from any thread. */
  private final class RecordingWriter implements BlockWriter {
    private final BlockKey key;
    private final boolean failWrites;
    final StringBuffer bytes = new StringBuffer();
    volatile String state = "open";

    RecordingWriter(int index, boolean failWrites) {
      this.key = new BlockKey("bucket", "key", "\"etag\"", index);
      this.failWrites = failWrites;
    }

    @Override
    public BlockKey key() {
      return key;
    }

    @Override
    public long length() {
      return Long.MAX_VALUE;
    }

    @Override
    public void write(ByteBuffer buffer) throws IOException {
      events.add("write " + key.index());
      if (failWrites) {
        throw new IOException("disk full");
      }
      bytes.append(StandardCharsets.US_ASCII.decode(buffer));
    }

    @Override
    public void commit() {
      events.add("commit " + key.index());
      state = "committed";
    }

    @Override
    public void close() {
      if (state.equals("open")) {
        state = "aborted";
      }
    }
  }
}
