package io.strata.proxy.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.abort;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Lints helm/strata and renders it for the default values (Deployment + PVC), the per-node
 * DaemonSet example and the sidecar example, then checks the manifests a cluster would get. Helm
 * runs embedded (helm-java's native library): no helm binary is installable here.
 */
@SuppressWarnings("unchecked")
class HelmChartTest {

  private static Path chart;

  @BeforeAll
  static void loadHelm() {
    chart = OpsFiles.chartDir();
    try {
      Helm.version().call();
    } catch (LinkageError | IllegalStateException e) {
      abort("helm-java's native library does not load on " + System.getProperty("os.name") + "/"
          + System.getProperty("os.arch") + ": " + e);
    }
  }

  @Test
  void lint_strict_passes() {
    LintResult result = new Helm(chart).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void template_default_deploymentWithPvcProbesAndLockedDownContainer() {
    List<Map<String, Object>> docs = render(t -> t);
    Map<String, Object> deployment = one(docs, "Deployment");
    assertThat(kinds(docs)).containsExactlyInAnyOrder("ConfigMap", "Secret", "PersistentVolumeClaim", "Service", "Deployment");
    assertThat(get(deployment, "spec.replicas")).isEqualTo(1);
    assertThat(get(deployment, "spec.strategy.type")).as("one pod owns the cache dir").isEqualTo("Recreate");

    Map<String, Object> pod = (Map<String, Object>) get(deployment, "spec.template.spec");
    assertThat(get(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
    assertThat(get(pod, "securityContext.runAsUser")).isEqualTo(10001);
    assertThat(get(pod, "securityContext.fsGroup")).isEqualTo(10001);

    Map<String, Object> strata = container(pod, "strata");
    assertThat(portsOf(strata)).containsExactly("s3=9100", "admin=9101");
    assertThat(get(strata, "livenessProbe.httpGet.path")).isEqualTo("/health/liveness");
    assertThat(get(strata, "livenessProbe.httpGet.port")).isEqualTo("admin");
    assertThat(get(strata, "readinessProbe.httpGet.path")).isEqualTo("/health/ready");
    assertThat(get(strata, "readinessProbe.httpGet.port")).isEqualTo("admin");
    assertThat(get(strata, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(get(strata, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
    assertThat((List<String>) get(strata, "securityContext.capabilities.drop")).containsExactly("ALL");
    assertThat((Map<String, Object>) get(strata, "resources.requests")).containsKeys("cpu", "memory");
    assertThat(mounts(strata)).containsEntry("cache", "/var/lib/strata").containsEntry("tmp", "/tmp")
        .containsEntry("secrets", "/etc/strata/secrets");

    Map<String, Object> pvc = one(docs, "PersistentVolumeClaim");
    assertThat(volume(pod, "cache")).containsKey("persistentVolumeClaim");
    assertThat(get(volume(pod, "cache"), "persistentVolumeClaim.claimName")).isEqualTo(get(pvc, "metadata.name"));
    assertThat(get(pvc, "spec.resources.requests.storage")).isEqualTo("12Gi");
    assertThat(get(pvc, "metadata.annotations")).isEqualTo(Map.of("helm.sh/resource-policy", "keep"));
    assertThat(volume(pod, "tmp")).containsKey("emptyDir");

    // credentials: access keys from the Secret, secret keys and the admin token as mounted files
    Map<String, Object> secret = one(docs, "Secret");
    String secretName = (String) get(secret, "metadata.name");
    assertThat(get(volume(pod, "secrets"), "secret.secretName")).isEqualTo(secretName);
    assertThat((Map<String, Object>) secret.get("data")).containsKeys(
        "upstream-access-key", "upstream-secret-key", "client-access-key", "client-secret-key", "admin-token");
    Map<String, Object> env = env(strata);
    assertThat(env.get("STRATA_UPSTREAM_ACCESS_KEY")).isEqualTo(secretRef(secretName, "upstream-access-key"));
    assertThat(env.get("STRATA_AUTH_ACCESS_KEY")).isEqualTo(secretRef(secretName, "client-access-key"));
    assertThat(env).containsEntry("STRATA_UPSTREAM_SECRET_KEY_FILE", "/etc/strata/secrets/upstream-secret-key")
        .containsEntry("STRATA_AUTH_SECRET_KEY_FILE", "/etc/strata/secrets/client-secret-key")
        .containsEntry("STRATA_ADMIN_TOKEN_FILE", "/etc/strata/secrets/admin-token");

    Map<String, Object> config = (Map<String, Object>) one(docs, "ConfigMap").get("data");
    assertThat(get(strata, "envFrom")).isEqualTo(List.of(Map.of("configMapRef", Map.of("name", get(one(docs, "ConfigMap"), "metadata.name")))));
    assertThat(config).containsEntry("STRATA_S3_BIND", "0.0.0.0").containsEntry("MICRONAUT_SERVER_HOST", "0.0.0.0")
        .containsEntry("STRATA_S3_PORT", "9100").containsEntry("MICRONAUT_SERVER_PORT", "9101")
        .containsEntry("STRATA_CACHE_DIR", "/var/lib/strata").containsEntry("STRATA_CACHE_MAX_SIZE", "10GiB");

    Map<String, Object> service = one(docs, "Service");
    assertThat(servicePorts(service)).containsExactly("s3=9100->s3", "admin=9101->admin");
    assertThat(get(service, "spec.selector")).isEqualTo(get(deployment, "spec.selector.matchLabels"));
  }

  @Test
  void template_daemonSet_perNodeCacheAndNodeLocalService() {
    List<Map<String, Object>> docs = render(t -> t.withValuesFile(chart.resolve("examples/daemonset.yaml")));
    assertThat(kinds(docs)).containsExactlyInAnyOrder("ConfigMap", "Secret", "Service", "DaemonSet");
    Map<String, Object> daemonSet = one(docs, "DaemonSet");
    Map<String, Object> pod = (Map<String, Object>) get(daemonSet, "spec.template.spec");
    assertThat(get(volume(pod, "cache"), "hostPath.path")).isEqualTo("/var/lib/strata");
    Map<String, Object> strata = container(pod, "strata");
    assertThat(portsOf(strata)).containsExactly("s3=9100", "admin=9101");
    assertThat(get(strata, "readinessProbe.httpGet.path")).isEqualTo("/health/ready");
    assertThat(get(strata, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(get(one(docs, "Service"), "spec.internalTrafficPolicy")).isEqualTo("Local");
    assertThat(get(one(docs, "ConfigMap"), "data.STRATA_CACHE_MAX_SIZE")).isEqualTo("50GiB");
  }

  @Test
  void template_daemonSetWithEmptyDir() {
    List<Map<String, Object>> docs = render(t -> t.set("kind", "DaemonSet"));
    Map<String, Object> pod = (Map<String, Object>) get(one(docs, "DaemonSet"), "spec.template.spec");
    assertThat(get(volume(pod, "cache"), "emptyDir.sizeLimit")).isEqualTo("12Gi");
  }

  @Test
  void template_sidecar_engineReadsStrataOnLoopback() {
    List<Map<String, Object>> docs = render(t -> t.withValuesFile(chart.resolve("examples/sidecar.yaml")));
    Map<String, Object> pod = (Map<String, Object>) get(one(docs, "Deployment"), "spec.template.spec");
    assertThat(((List<Map<String, Object>>) pod.get("containers")).stream().map(c -> c.get("name")))
        .containsExactly("strata", "trino");

    Map<String, Object> config = (Map<String, Object>) one(docs, "ConfigMap").get("data");
    assertThat(config).as("only the pod's own containers reach the S3 port").containsEntry("STRATA_S3_BIND", "127.0.0.1");
    assertThat(servicePorts(one(docs, "Service"))).containsExactly("admin=9101->admin");

    String secretName = (String) get(one(docs, "Secret"), "metadata.name");
    Map<String, Object> engineEnv = env(container(pod, "trino"));
    assertThat(engineEnv).containsEntry("AWS_ENDPOINT_URL", "http://127.0.0.1:9100")
        .containsEntry("AWS_REGION", "eu-west-1")
        .containsEntry("TRINO_S3_ENDPOINT", "http://127.0.0.1:9100");
    assertThat(engineEnv.get("AWS_ACCESS_KEY_ID")).isEqualTo(secretRef(secretName, "client-access-key"));
    assertThat(engineEnv.get("AWS_SECRET_ACCESS_KEY")).isEqualTo(secretRef(secretName, "client-secret-key"));
    assertThat(get(container(pod, "trino"), "securityContext.runAsUser")).isEqualTo(1000);

    // upstream.staticCredentials=false: the default credential chain (IRSA), no upstream keys
    Map<String, Object> strataEnv = env(container(pod, "strata"));
    assertThat(strataEnv).doesNotContainKeys("STRATA_UPSTREAM_ACCESS_KEY", "STRATA_UPSTREAM_SECRET_KEY_FILE")
        .containsKeys("STRATA_AUTH_ACCESS_KEY", "STRATA_AUTH_SECRET_KEY_FILE", "STRATA_ADMIN_TOKEN_FILE");
  }

  @Test
  void template_existingSecret_referencedAndNotCreated() {
    List<Map<String, Object>> docs = render(t -> t.set("secrets.existingSecret", "team-strata"));
    assertThat(kinds(docs)).doesNotContain("Secret");
    Map<String, Object> pod = (Map<String, Object>) get(one(docs, "Deployment"), "spec.template.spec");
    assertThat(get(volume(pod, "secrets"), "secret.secretName")).isEqualTo("team-strata");
    assertThat(env(container(pod, "strata")).get("STRATA_AUTH_ACCESS_KEY")).isEqualTo(secretRef("team-strata", "client-access-key"));
  }

  @Test
  void template_givenCredentials_encodedIntoTheSecret() {
    List<Map<String, Object>> docs = render(t -> t.set("secrets.adminToken", "abc123").set("secrets.clientSecretKey", "laptop"));
    Map<String, Object> data = (Map<String, Object>) one(docs, "Secret").get("data");
    assertThat(data).containsEntry("admin-token", "YWJjMTIz").containsEntry("client-secret-key", "bGFwdG9w")
        .containsEntry("client-access-key", "c3RyYXRhLWNsaWVudA==");
  }

  @Test
  void template_jsonLogs_selectTheJsonLogbackConfigurationInTheJar() throws Exception {
    Map<String, Object> text = (Map<String, Object>) one(render(t -> t), "ConfigMap").get("data");
    assertThat(text).doesNotContainKey("JAVA_TOOL_OPTIONS");
    Map<String, Object> json = (Map<String, Object>) one(render(t -> t.set("logFormat", "json")), "ConfigMap").get("data");
    String options = (String) json.get("JAVA_TOOL_OPTIONS");
    String file = options.replaceAll(".*-Dlogback.configurationFile=(\\S+).*", "$1");
    assertThat(OpsFiles.repoRoot().resolve("proxy/src/main/resources").resolve(file))
        .as("the configuration the option names is in the jar").isRegularFile();
    String image = Files.readString(OpsFiles.repoRoot().resolve("Dockerfile"))
        .replaceAll("(?s).*JAVA_TOOL_OPTIONS=\"([^\"]*)\".*", "$1");
    assertThat(image).as("the image's heap settings").contains("-XX:MaxRAMPercentage=75.0", "-XX:MaxHeapFreeRatio=30");
    assertThat(options).as("keeps the image's heap settings").startsWith(image + " ");
    assertThatThrownBy(() -> render(t -> t.set("logFormat", "xml"))).hasMessageContaining("logFormat: xml (expected: text or json)");
  }

  @Test
  void template_unknownKind_failsWithTheChoices() {
    assertThatThrownBy(() -> render(t -> t.set("kind", "StatefulSet")))
        .hasMessageContaining("kind: StatefulSet (expected: Deployment or DaemonSet)");
  }

  // ---- rendering and navigation --------------------------------------------------------------

  private static List<Map<String, Object>> render(UnaryOperator<TemplateCommand> options) {
    String yaml = options.apply(new Helm(chart).template().withName("strata").withNamespace("data")
        .set("upstream.endpoint", "http://minio.storage:9000")).call();
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(yaml)) {
      if (doc != null) {
        docs.add((Map<String, Object>) doc);
      }
    }
    return docs;
  }

  private static List<Object> kinds(List<Map<String, Object>> docs) {
    return docs.stream().map(d -> d.get("kind")).toList();
  }

  private static Map<String, Object> one(List<Map<String, Object>> docs, String kind) {
    List<Map<String, Object>> found = docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    assertThat(found).as("rendered " + kind).hasSize(1);
    return found.get(0);
  }

  private static Object get(Map<String, Object> node, String dottedPath) {
    return OpsFiles.at(node, dottedPath);
  }

  private static Map<String, Object> container(Map<String, Object> pod, String name) {
    return ((List<Map<String, Object>>) pod.get("containers")).stream()
        .filter(c -> name.equals(c.get("name"))).findFirst().orElseThrow(() -> new AssertionError("no container " + name));
  }

  private static Map<String, Object> volume(Map<String, Object> pod, String name) {
    return ((List<Map<String, Object>>) pod.get("volumes")).stream()
        .filter(v -> name.equals(v.get("name"))).findFirst().orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static List<String> portsOf(Map<String, Object> container) {
    return ((List<Map<String, Object>>) container.get("ports")).stream()
        .map(p -> p.get("name") + "=" + p.get("containerPort")).toList();
  }

  private static List<String> servicePorts(Map<String, Object> service) {
    return ((List<Map<String, Object>>) get(service, "spec.ports")).stream()
        .map(p -> p.get("name") + "=" + p.get("port") + "->" + p.get("targetPort")).toList();
  }

  private static Map<String, String> mounts(Map<String, Object> container) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (Map<String, Object> m : (List<Map<String, Object>>) container.get("volumeMounts")) {
      out.put((String) m.get("name"), (String) m.get("mountPath"));
    }
    return out;
  }

  /** Each variable's value, or its valueFrom for references. */
  private static Map<String, Object> env(Map<String, Object> container) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (Map<String, Object> e : (List<Map<String, Object>>) container.get("env")) {
      out.put((String) e.get("name"), e.containsKey("value") ? e.get("value") : e.get("valueFrom"));
    }
    return out;
  }

  private static Map<String, Object> secretRef(String secret, String key) {
    return Map.of("secretKeyRef", Map.of("name", secret, "key", key));
  }
}
