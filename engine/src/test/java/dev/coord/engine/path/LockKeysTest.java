package dev.coord.engine.path;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LockKeysTest {

    @ParameterizedTest
    @CsvSource({
        "src/A.java, src/A.java",
        "src/, src/A.java",
        "src/, src/deep/B.java",
        "src/, src/deep/",
        "src/, src",
        "./, src/A.java",
        "./, ./",
        "./, .gitignore",
        "./, src/",
        "src/A.java, src/A.java/",
    })
    void overlapping(String a, String b) {
        assertThat(LockKeys.overlaps(a, b)).isTrue();
        assertThat(LockKeys.overlaps(b, a)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "src/A.java, src/B.java",
        "src/A.java, src/A.java.bak",
        "src, src/A.java",
        "src/, srcx/A.java",
        "src/, srcx/",
        "Src/, src/A.java",
        "src/a/, src/b/",
    })
    void separate(String a, String b) {
        assertThat(LockKeys.overlaps(a, b)).isFalse();
        assertThat(LockKeys.overlaps(b, a)).isFalse();
    }
}
