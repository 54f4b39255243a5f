package io.strata.cache.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cache.BlockKey;
import org.junit.jupiter.api.Test;

class ProjectsTest {

  private static BlockKey k(String key) {
    return new BlockKey("logs", key, "e", 0);
  }

  @Test
  void name_takesTheFirstSegments_andAShortKeyIsItsOwnProject() {
    assertThat(Projects.name(k("well-7/gr.parquet"), 1)).isEqualTo("logs/well-7");
    assertThat(Projects.name(k("field/well-7/gr.parquet"), 2)).isEqualTo("logs/field/well-7");
    assertThat(Projects.name(k("field/well-7/gr.parquet"), 3)).isEqualTo("logs/field/well-7/gr.parquet");
    assertThat(Projects.name(k("top.parquet"), 1)).isEqualTo("logs/top.parquet");
    assertThat(Projects.name(k("/abs"), 1)).isEqualTo("logs/");
  }

  @Test
  void addAndRemove_trackBytes_andDropEmptyProjects() {
    Projects projects = new Projects(1);
    Project a = projects.add(k("a/1"), 10);
    assertThat(projects.add(k("a/2"), 5)).isSameAs(a);
    projects.add(k("b/1"), 30);

    assertThat(projects.largest(10)).containsExactly(
        java.util.Map.entry("logs/b", 30L), java.util.Map.entry("logs/a", 15L));
    assertThat(projects.largest(1)).containsOnlyKeys("logs/b");

    projects.remove(a, 10);
    projects.remove(a, 5);
    assertThat(projects.all()).extracting(Project::name).containsExactly("logs/b");
  }

  @Test
  void depth_mustBePositive() {
    assertThatThrownBy(() -> new Projects(0)).hasMessage("depth: 0 (expected: >= 1)");
  }
}
