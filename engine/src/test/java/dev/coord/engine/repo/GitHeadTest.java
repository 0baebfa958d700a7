package dev.coord.engine.repo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHeadTest {

    @Test
    void branchRef() {
        assertThat(GitHead.parse("ref: refs/heads/feature/x")).isEqualTo("feature/x");
        assertThat(GitHead.parse("ref:refs/heads/main")).isEqualTo("main");
    }

    @Test
    void otherSymbolicRefIsKeptWhole() {
        assertThat(GitHead.parse("ref: refs/remotes/origin/main")).isEqualTo("refs/remotes/origin/main");
    }

    @Test
    void objectIdIsDetached() {
        assertThat(GitHead.parse("0123456789ABCDEF0123456789abcdef01234567")).isEqualTo("detached@0123456789ab");
        assertThat(GitHead.parse("a".repeat(64))).isEqualTo("detached@aaaaaaaaaaaa");
    }

    @Test
    void garbageIsUnknown() {
        assertThat(GitHead.parse("")).isNull();
        assertThat(GitHead.parse("ref:")).isNull();
        assertThat(GitHead.parse("0123")).isNull();
        assertThat(GitHead.parse("z".repeat(40))).isNull();
    }

    @Test
    void missingHeadIsUnknown(@TempDir Path dir) throws IOException {
        assertThat(GitHead.branch(dir)).isNull();
    }
}
