package io.strata.proxy.s3.body;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Known answers for CRC-64/NVME from independent implementations. */
class Crc64NvmeTest {

  @Test
  void getValue_catalogueCheckString_matches() {
    // reveng CRC catalogue, CRC-64/NVME: check = 0xae8b14860a799888 for "123456789".
    assertThat(crc("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xae8b14860a799888L);
  }

  @Test
  void getValue_32Zeros_matchesAwsChecksums() {
    // awslabs/aws-checksums tests: KNOWN_CRC64NVME_32_ZEROES.
    assertThat(crc(new byte[32])).isEqualTo(0xcf3473434d4ecf3bL);
  }

  @Test
  void base64_helloWorld_matchesMinioTool() {
    // robertgrimm/crc64nvme README: echo 'Hello, World!' | crc64nvme | base64 -> SoXXbx67KpE=
    PayloadChecksum.Hasher hasher = PayloadChecksum.CRC64NVME.newHasher();
    byte[] data = "Hello, World!\n".getBytes(StandardCharsets.US_ASCII);
    hasher.update(data, 0, data.length);
    assertThat(Base64.getEncoder().encodeToString(hasher.finish())).isEqualTo("SoXXbx67KpE=");
  }

  @Test
  void update_split_sameAsWhole() {
    byte[] data = SdkCaptures.randomBytes(1000, 7);
    Crc64Nvme split = new Crc64Nvme();
    split.update(data, 0, 333);
    split.update(data[333]);
    split.update(data, 334, 666);
    assertThat(split.getValue()).isEqualTo(crc(data));
    split.reset();
    assertThat(split.getValue()).isEqualTo(crc(new byte[0])).isEqualTo(0L);
  }

  private static long crc(byte[] data) {
    Crc64Nvme crc = new Crc64Nvme();
    crc.update(data, 0, data.length);
    return crc.getValue();
  }
}
