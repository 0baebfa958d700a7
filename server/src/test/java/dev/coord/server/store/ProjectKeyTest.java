package dev.coord.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.repo.RepoLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectKeyTest {
    @TempDir
    Path dir;

    @Test
    void remoteUrlsOfOneRepositoryGiveOneKey() {
        assertThat(ProjectKey.normalize("git@github.com:Owner/repo.git")).isEqualTo("github.com/Owner/repo");
        assertThat(ProjectKey.normalize("https://github.com/Owner/repo")).isEqualTo("github.com/Owner/repo");
        assertThat(ProjectKey.normalize("https://user:token@GitHub.com/Owner/repo.git/"))
                .isEqualTo("github.com/Owner/repo");
        assertThat(ProjectKey.normalize("ssh://git@github.com:22/Owner/repo.git"))
                .isEqualTo("github.com/Owner/repo");
        assertThat(ProjectKey.normalize("/srv/git/repo.git")).isNull();
        assertThat(ProjectKey.normalize("../repo")).isNull();
    }

    @Test
    void theKeyComesFromTheEnvironmentThenOriginThenThePath() throws Exception {
        Path git = Files.createDirectories(dir.resolve(".git"));
        Files.writeString(
                git.resolve("config"),
                "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = git@github.com:other/x.git\n"
                        + "[remote \"origin\"]\n\turl = git@github.com:owner/repo.git\n\tfetch = +refs/heads/*\n");
        RepoLayout layout = new RepoLayout(dir, dir, dir, git, git, "main", true);
        assertThat(ProjectKey.of(Map.of(), layout)).isEqualTo("github.com/owner/repo");
        assertThat(ProjectKey.of(Map.of("COORD_PROJECT", " team/x "), layout)).isEqualTo("team/x");
        RepoLayout plain = new RepoLayout(dir, dir, dir, null, null, null, false);
        assertThat(ProjectKey.of(Map.of(), plain)).isEqualTo(dir.toString());
    }
}
