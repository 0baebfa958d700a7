package dev.coord.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import dev.coord.server.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreCommitHookTest {
    @TempDir
    Path dir;

    CliFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new CliFixture(dir);
        Git.init(f.repo);
        Files.createDirectories(f.repo.resolve("src"));
        Files.writeString(f.repo.resolve("src/A.java"), "class A {}");
        Files.writeString(f.repo.resolve("README.md"), "hi");
    }

    @Test
    void refusesStagedFilesExclusivelyLockedByALiveInstance() throws Exception {
        Instance holder = f.register("Implement the auth API", "backend", "session-1");
        f.lock(holder, "src/", LockMode.EXCLUSIVE, Duration.ofMinutes(30), null);
        Git.run(f.repo, "add", "src/A.java", "README.md");

        CliFixture.Result r = f.run("hook", "pre-commit");

        assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .contains("commit refused")
                .contains("src/A.java is locked through src/ by " + holder.id()
                        + " (Implement the auth API) until 2026-11-21T10:30:00Z")
                .doesNotContain("README.md is locked");
    }

    @Test
    void allowsTheHolderNamedByCoordSessionIdSharedLocksAndUnstagedFiles() throws Exception {
        Instance holder = f.register("Implement the auth API", "backend", "session-1");
        f.lock(holder, "src/A.java", LockMode.EXCLUSIVE, Duration.ofMinutes(30), null);
        Instance reader = f.register("Review", "review", "session-2");
        f.lock(reader, "README.md", LockMode.SHARED, Duration.ofMinutes(30), null);

        Git.run(f.repo, "add", "README.md");
        assertThat(f.run("hook", "pre-commit").code()).as("shared lock").isZero();

        Git.run(f.repo, "add", "src/A.java");
        f.env.put("COORD_SESSION_ID", holder.id());
        assertThat(f.run("hook", "pre-commit").code()).as("instance id").isZero();
        f.env.put("COORD_SESSION_ID", "session-1");
        assertThat(f.run("hook", "pre-commit").code())
                .as("Claude Code session id")
                .isZero();
        f.env.put("COORD_SESSION_ID", "session-2");
        assertThat(f.run("hook", "pre-commit").code()).isEqualTo(ExitCodes.FAILURE);
    }

    @Test
    void deadHoldersAndMissingStateDoNotBlock() throws Exception {
        Git.run(f.repo, "add", "src/A.java");
        assertThat(f.run("hook", "pre-commit").code()).isZero();
        assertThat(f.stateExists()).isFalse();

        Instance holder = f.register("Gone", "backend", null);
        f.lock(holder, "src/A.java", LockMode.EXCLUSIVE, Duration.ofMinutes(30), null);
        f.clock.advance(Duration.ofMinutes(2));
        assertThat(f.run("hook", "pre-commit").code()).isZero();
    }

    @Test
    void initInstallsAnExecutableHookScript() throws Exception {
        Path jar = Files.createFile(dir.resolve("coord.jar"));
        assertThat(f.run("init", "--jar", jar.toString(), "--hooks").code()).isZero();
        Path hook = f.repo.resolve(".git/hooks/pre-commit");
        assertThat(hook).isExecutable();
        assertThat(Files.readString(hook))
                .isEqualTo("#!/bin/sh\n"
                        + "# coord pre-commit hook, installed by coord init --hooks: refuses commits of files another"
                        + " session\n"
                        + "# holds an exclusive lock on. Set COORD_SESSION_ID to commit for a holder; git commit"
                        + " --no-verify skips it.\n"
                        + "# When coord cannot run, it says so and lets the commit through (docs/hooks.md).\n"
                        + "jar=" + jar + "\n"
                        + "if [ ! -f \"$jar\" ]; then\n"
                        + "  echo \"coord pre-commit: $jar is missing, so this commit is NOT checked against"
                        + " coord's locks. Fix it with coord init --hooks --force, or delete $0.\" >&2\n"
                        + "  exit 0\n"
                        + "fi\n"
                        + "java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -jar \"$jar\" hook pre-commit\n"
                        + "rc=$?\n"
                        + "[ $rc -eq 1 ] && exit 1\n"
                        + "[ $rc -ne 0 ] && echo \"coord pre-commit: coord could not run (exit $rc, see above), so"
                        + " this commit is NOT checked against coord's locks.\" >&2\n"
                        + "exit 0\n");
    }
}
