package io.strata.proxy.ops;

import static java.util.Objects.requireNonNull;

import io.micronaut.core.bind.annotation.Bindable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files and the configuration defaults they must agree with: the Dockerfile, the
 * Helm chart's values, application.yml and the {@code @Bindable} defaults of the config records.
 */
final class OpsFiles {

  private OpsFiles() {}

  /** The repository root: tests run in proxy/, the Dockerfile sits one level up. */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("Dockerfile")) && Files.isDirectory(p.resolve("helm/strata"))) {
        return p;
      }
    }
    throw new IllegalStateException("no Dockerfile and helm/strata above " + dir);
  }

  static Path chartDir() {
    return repoRoot().resolve("helm/strata");
  }

  static Map<String, Object> chartValues() throws IOException {
    return new Yaml().load(Files.readString(chartDir().resolve("values.yaml")));
  }

  /** src/main/resources/application.yml, as the jar carries it. */
  static Map<String, Object> applicationYml() throws IOException {
    try (InputStream in = OpsFiles.class.getResourceAsStream("/application.yml")) {
      return new Yaml().load(requireNonNull(in, "application.yml on the classpath"));
    }
  }

  /** The value at a dotted path ("micronaut.server.port") of nested YAML maps. */
  @SuppressWarnings("unchecked")
  static Object at(Map<String, Object> yaml, String dottedPath) {
    Object node = yaml;
    for (String part : dottedPath.split("\\.")) {
      if (!(node instanceof Map<?, ?> map) || !map.containsKey(part)) {
        throw new AssertionError("no " + dottedPath + " (missing: " + part + ")");
      }
      node = ((Map<String, Object>) map).get(part);
    }
    return node;
  }

  /**
   * The {@code @Bindable(defaultValue)} of a config record's component, wherever the compiler
   * propagated the annotation (field, accessor).
   */
  static String recordDefault(Class<? extends Record> type, String component) throws ReflectiveOperationException {
    for (AnnotatedElement element : new AnnotatedElement[] {
        type.getDeclaredField(component), type.getDeclaredMethod(component)}) {
      Bindable bindable = element.getAnnotation(Bindable.class);
      if (bindable != null) {
        return bindable.defaultValue();
      }
    }
    throw new AssertionError(type.getSimpleName() + "." + component + " has no @Bindable default");
  }
}
