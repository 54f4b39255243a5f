package io.strata.proxy.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The client key pair of a {@code --demo} run without configured keys: made once, kept in the
 * cache directory (readable by its owner only), and printed at start-up, so a demo is signed like
 * any deployment and the pair stays the same from one run to the next.
 *
 * @param accessKey the access key id, 20 upper-case letters and digits like AWS's
 * @param secretKey the secret, 40 characters
 */
public record DemoClientKeys(String accessKey, String secretKey) {

  static final String FILE = "demo-client-credentials.properties";
  private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String SECRET_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  /** The pair kept under {@code cacheDir}, made and stored on first use. */
  public static DemoClientKeys loadOrCreate(Path cacheDir) {
    Path file = cacheDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          p.load(in);
        }
        String key = p.getProperty("access-key");
        String secret = p.getProperty("secret-key");
        if (key != null && !key.isBlank() && secret != null && !secret.isBlank()) {
          return new DemoClientKeys(key.strip(), secret.strip());
        }
      }
      SecureRandom random = new SecureRandom();
      DemoClientKeys keys = new DemoClientKeys(
          "STRATA" + random(random, KEY_ALPHABET, 14), random(random, SECRET_ALPHABET, 40));
      Files.createDirectories(cacheDir);
      Path tmp = Files.createTempFile(cacheDir, FILE, ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system (Windows): the directory's own permissions apply
      }
      Files.writeString(tmp, "# client key pair of the --demo run (strata.auth.*)\n"
          + "access-key=" + keys.accessKey + "\nsecret-key=" + keys.secretKey + "\n",
          StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the demo client key pair in " + file, e);
    }
  }

  private static String random(SecureRandom random, String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "DemoClientKeys[accessKey=" + accessKey + "]";
  }
}
