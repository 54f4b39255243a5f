package io.strata.proxy.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Secrets in configuration: given inline ({@code strata.admin.token}) or as a file
 * ({@code strata.admin.token-file}, the shape of a Kubernetes or Docker secret mount). A secret's
 * value never appears in an error message, a log line or a {@code toString()}.
 */
public final class Secrets {

  /** What a {@code toString()} shows instead of a secret that is set. */
  public static final String MASK = "****";

  private Secrets() {}

  /**
   * The secret from {@code value} or from the file at {@code file}, trimmed (a file written by
   * {@code echo} ends with a newline); empty when neither is set. Setting both is an error: one of
   * them would be silently ignored.
   */
  public static Optional<String> inlineOrFile(String valueKey, String value, String fileKey, String file) {
    boolean hasValue = value != null && !value.isBlank();
    boolean hasFile = file != null && !file.isBlank();
    if (hasValue && hasFile) {
      throw new ConfigurationError("invalid configuration: both " + valueKey + " and " + fileKey
          + " are set (expected: one of them)");
    }
    if (hasValue) {
      return Optional.of(checked(valueKey, value.trim()));
    }
    if (!hasFile) {
      return Optional.empty();
    }
    Path path = Path.of(file.trim());
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8).trim();
    } catch (IOException | RuntimeException e) {
      // the exception names the file and the reason (NoSuchFileException, AccessDeniedException,
      // MalformedInputException), never the content
      throw new ConfigurationError(fileKey, path.toString(), "a readable UTF-8 file holding the secret; "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    if (text.isEmpty()) {
      throw new ConfigurationError(fileKey, path.toString(), "a file holding the secret, but it is empty");
    }
    return Optional.of(checked(fileKey, text));
  }

  /** {@link #MASK} for a set secret, {@code null} for an unset one: enough to debug, nothing to steal. */
  public static String mask(String secret) {
    return secret == null ? null : MASK;
  }

  // One line and no control characters: a secret sent in an HTTP header or signed into a request
  // cannot hold a line break, and a pasted one usually means a wrong file or value.
  private static String checked(String key, String secret) {
    for (int i = 0; i < secret.length(); i++) {
      if (Character.isISOControl(secret.charAt(i))) {
        throw new ConfigurationError("invalid configuration: " + key
            + " contains a line break or control character (expected: a single-line secret; value not shown)");
      }
    }
    return secret;
  }
}
