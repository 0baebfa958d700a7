package dev.coord.engine.repo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExcludeFileTest {

    @Test
    void equivalentPatternsIgnoreTheStateDir() {
        assertThat(ExcludeFile.ignores("/.claude/coordination/\n")).isTrue();
        assertThat(ExcludeFile.ignores("a\n.claude/coordination")).isTrue();
        assertThat(ExcludeFile.ignores("/.claude\r\n")).isTrue();
    }

    @Test
    void otherPatternsDoNot() {
        assertThat(ExcludeFile.ignores("")).isFalse();
        assertThat(ExcludeFile.ignores("# /.claude/coordination/\n")).isFalse();
        assertThat(ExcludeFile.ignores("/.claude/coordination/x\n")).isFalse();
        assertThat(ExcludeFile.ignores("/.claude/coord\n")).isFalse();
    }

    @Test
    void laterNegationReincludes() {
        assertThat(ExcludeFile.ignores("/.claude/coordination/\n!/.claude/coordination/\n"))
                .isFalse();
        assertThat(ExcludeFile.ignores("!/.claude/coordination/\n/.claude/coordination/\n"))
                .isTrue();
    }
}
