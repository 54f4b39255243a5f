package io.strata.proxy.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.micronaut.http.annotation.Controller;
import io.strata.proxy.config.CacheSettings;
import io.strata.proxy.config.S3ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Docker engine runs here, so the image cannot be built in CI. This reads the Dockerfile and
 * checks what can go wrong without a build: its ports, user, volume and health check must agree
 * with Strata's configuration defaults and with the Helm chart, and the health check command
 * itself is run against a local HTTP server.
 */
class DockerfileTest {

  /** One instruction, continuation lines joined: {@code EXPOSE 9100 9101} → ("EXPOSE", "9100 9101"). */
  record Instruction(String keyword, String arguments) {}

  private static List<Instruction> runtimeStage;
  private static List<Instruction> allInstructions;

  @BeforeAll
  static void parse() throws IOException {
    allInstructions = parse(Files.readString(OpsFiles.repoRoot().resolve("Dockerfile")));
    int lastFrom = -1;
    for (int i = 0; i < allInstructions.size(); i++) {
      if (allInstructions.get(i).keyword().equals("FROM")) {
        lastFrom = i;
      }
    }
    assertThat(lastFrom).as("a FROM").isGreaterThanOrEqualTo(0);
    runtimeStage = allInstructions.subList(lastFrom, allInstructions.size());
  }

  @Test
  void stages_mavenBuildThenJreRuntime() {
    List<String> froms = allInstructions.stream().filter(i -> i.keyword().equals("FROM")).map(Instruction::arguments).toList();
    assertThat(froms).hasSize(2);
    assertThat(froms.get(0)).startsWith("maven:").contains("17").endsWith(" AS build");
    assertThat(froms.get(1)).startsWith("eclipse-temurin:17-jre");
    // the jar the runtime copies is the one the build stage's Maven makes (proxy's finalName)
    assertThat(one(allInstructions, "RUN", "mvn ")).contains("package").contains("-DskipTests");
    assertThat(one(runtimeStage, "COPY", "strata.jar")).isEqualTo("--from=build /src/proxy/target/strata.jar /app/strata.jar");
    assertThat(one(runtimeStage, "ENTRYPOINT", "")).isEqualTo("[\"java\", \"-jar\", \"/app/strata.jar\"]");
  }

  @Test
  void expose_matchesConfigDefaultsAndChart() throws Exception {
    int s3Port = Integer.parseInt(OpsFiles.recordDefault(S3ServerConfig.class, "port"));
    int adminPort = (Integer) OpsFiles.at(OpsFiles.applicationYml(), "micronaut.server.port");
    assertThat(OpsFiles.at(OpsFiles.applicationYml(), "strata.s3.port")).isEqualTo(s3Port);

    assertThat(one(runtimeStage, "EXPOSE", "")).isEqualTo(s3Port + " " + adminPort);
    assertThat(env()).containsEntry("STRATA_S3_PORT", String.valueOf(s3Port))
        .containsEntry("MICRONAUT_SERVER_PORT", String.valueOf(adminPort));
    Map<String, Object> values = OpsFiles.chartValues();
    assertThat(OpsFiles.at(values, "ports.s3")).isEqualTo(s3Port);
    assertThat(OpsFiles.at(values, "ports.admin")).isEqualTo(adminPort);
  }

  @Test
  void env_bindsBothPortsBeyondLoopback() throws Exception {
    // the defaults bind loopback, which no one outside the container could reach
    assertThat(OpsFiles.recordDefault(S3ServerConfig.class, "bind")).isEqualTo("127.0.0.1");
    assertThat(OpsFiles.at(OpsFiles.applicationYml(), "micronaut.server.host")).isEqualTo("127.0.0.1");
    assertThat(env()).containsEntry("STRATA_S3_BIND", "0.0.0.0").containsEntry("MICRONAUT_SERVER_HOST", "0.0.0.0")
        // the admin token is a run-time secret, never baked into the image
        .doesNotContainKeys("STRATA_ADMIN_TOKEN", "STRATA_AUTH_SECRET_KEY", "STRATA_UPSTREAM_SECRET_KEY");
  }

  @Test
  void user_isFixedNonRootUidAndMatchesChart() throws Exception {
    String user = one(runtimeStage, "USER", "");
    Matcher m = Pattern.compile("(\\d+):(\\d+)").matcher(user);
    assertThat(m.matches()).as("USER uid:gid, numeric so Kubernetes can verify runAsNonRoot: " + user).isTrue();
    int uid = Integer.parseInt(m.group(1));
    int gid = Integer.parseInt(m.group(2));
    assertThat(uid).isPositive();
    assertThat(one(runtimeStage, "RUN", "useradd")).contains("--uid " + uid).contains("--gid " + gid)
        .contains("groupadd --system --gid " + gid).contains("chown " + uid + ":" + gid + " /var/lib/strata");
    // USER comes after everything that needs root
    assertThat(runtimeStage.indexOf(new Instruction("USER", user)))
        .isGreaterThan(indexOf(runtimeStage, "RUN", "useradd"));
    Map<String, Object> values = OpsFiles.chartValues();
    assertThat(OpsFiles.at(values, "podSecurityContext.runAsUser")).isEqualTo(uid);
    assertThat(OpsFiles.at(values, "podSecurityContext.runAsGroup")).isEqualTo(gid);
    assertThat(OpsFiles.at(values, "podSecurityContext.fsGroup")).isEqualTo(gid);
    assertThat(OpsFiles.at(values, "podSecurityContext.runAsNonRoot")).isEqualTo(true);
  }

  @Test
  void volume_isTheCacheDir() throws Exception {
    assertThat(OpsFiles.recordDefault(CacheSettings.class, "dir")).isEqualTo("./strata-data");
    assertThat(one(runtimeStage, "VOLUME", "")).isEqualTo("/var/lib/strata");
    assertThat(env()).containsEntry("STRATA_CACHE_DIR", "/var/lib/strata");
  }

  @Test
  void healthCheck_probesTheReadinessEndpointOnTheAdminPort() throws Exception {
    String readyPath = readinessPath();
    assertThat(readyPath).isEqualTo("/health/ready");
    assertThat(healthCheckScript()).contains("GET " + readyPath + " ")
        .contains("/dev/tcp/127.0.0.1/${MICRONAUT_SERVER_PORT:-" + OpsFiles.at(OpsFiles.applicationYml(), "micronaut.server.port") + "}");
    assertThat(OpsFiles.at(OpsFiles.chartValues(), "probes.readiness.path")).isEqualTo(readyPath);
    assertThat(OpsFiles.at(OpsFiles.chartValues(), "probes.liveness.path")).isEqualTo("/health/liveness");
  }

  @Test
  void healthCheck_passesOn200AndFailsOn503OrNoListener() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash runs the health check; not on this machine");
    String script = healthCheckScript();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    int[] status = {200};
    server.createContext("/", exchange -> {
      int code = exchange.getRequestURI().getPath().equals("/health/ready") ? status[0] : 404;
      exchange.sendResponseHeaders(code, -1);
      exchange.close();
    });
    server.start();
    int port = server.getAddress().getPort();
    try {
      assertThat(runHealthCheck(script, port)).as("ready").isZero();
      status[0] = 503;
      assertThat(runHealthCheck(script, port)).as("not ready").isNotZero();
    } finally {
      server.stop(0);
    }
    assertThat(runHealthCheck(script, port)).as("nothing listening").isNotZero();
  }

  @Test
  void dockerignore_keepsBuildOutputAndGitOutOfTheContext() throws IOException {
    List<String> lines = Files.readAllLines(OpsFiles.repoRoot().resolve(".dockerignore"));
    assertThat(lines).contains(".git", "**/target", "**/node_modules");
  }

  private static int runHealthCheck(String script, int port) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c", script).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("MICRONAUT_SERVER_PORT", String.valueOf(port));
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("health check finished").isTrue();
    return p.exitValue();
  }

  /** The bash script of {@code HEALTHCHECK ... CMD ["bash", "-c", "<script>"]} (JSON is YAML). */
  private static String healthCheckScript() {
    String healthCheck = one(runtimeStage, "HEALTHCHECK", "");
    int cmd = healthCheck.indexOf("CMD [");
    assertThat(cmd).as("exec-form CMD in " + healthCheck).isPositive();
    List<String> argv = new Yaml().load(healthCheck.substring(cmd + 4));
    assertThat(argv).hasSize(3).startsWith("bash", "-c");
    return argv.get(2);
  }

  private static String readinessPath() throws ClassNotFoundException {
    Controller controller = Class.forName("io.strata.proxy.admin.ReadinessController").getAnnotation(Controller.class);
    return controller.value();
  }

  private static Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    Pattern pair = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");
    for (Instruction i : runtimeStage) {
      if (i.keyword().equals("ENV")) {
        Matcher m = pair.matcher(i.arguments());
        while (m.find()) {
          env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
        }
      }
    }
    return env;
  }

  private static String one(List<Instruction> stage, String keyword, String containing) {
    List<String> found = stage.stream()
        .filter(i -> i.keyword().equals(keyword) && i.arguments().contains(containing))
        .map(Instruction::arguments).toList();
    assertThat(found).as(keyword + " containing '" + containing + "'").hasSize(1);
    return found.get(0);
  }

  private static int indexOf(List<Instruction> stage, String keyword, String containing) {
    for (int i = 0; i < stage.size(); i++) {
      if (stage.get(i).keyword().equals(keyword) && stage.get(i).arguments().contains(containing)) {
        return i;
      }
    }
    return -1;
  }

  /** Comments and blank lines dropped, backslash continuations joined, whitespace collapsed. */
  static List<Instruction> parse(String dockerfile) {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : dockerfile.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String text = current.toString().replaceAll("[ \\t]+", " ").strip();
      current.setLength(0);
      int space = text.indexOf(' ');
      out.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1)));
    }
    return out;
  }
}
