package dev.coord.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.model.Instance;
import dev.coord.engine.model.LockMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What README.md says a new user sees matches what coord does. */
class ReadmeTest {
    private static final Path README =
            Path.of("..", "README.md").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private static String readme() throws IOException {
        return Files.readString(README, StandardCharsets.UTF_8);
    }

    private static String block(String text, String marker) {
        int start = text.indexOf(marker);
        assertThat(start).as("README has %s", marker).isNotNegative();
        return text.substring(start, text.indexOf("```", start + marker.length()));
    }

    @Test
    void theStateLayoutListsEveryFileTheStoreWrites() throws Exception {
        CliFixture f = new CliFixture(dir);
        Git.init(f.repo);
        Files.createDirectories(f.repo.resolve("src"));
        Files.writeString(f.repo.resolve("src/A.java"), "class A {}");
        Instance holder = f.register("work", "dev", "s1");
        f.lock(holder, "src/A.java", LockMode.EXCLUSIVE, Duration.ofMinutes(30), null);
        assertThat(f.run("locks", "release", "src/A.java", "--force", "--reason", "test")
                        .code())
                .isZero();
        assertThat(f.run("decisions", "add", "--category", "c", "--title", "t", "--description", "d")
                        .code())
                .isZero();

        String layout = block(readme(), ".claude/coordination/          (of the main worktree");
        List<String> files;
        try (Stream<Path> s = Files.list(f.stateDir)) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(files).contains("releases.jsonl", "locks.json", "registry.json", "decisions.jsonl", "audit.jsonl");
        assertThat(files).allSatisfy(name -> assertThat(layout).contains("── " + name + " "));
    }

    @Test
    void theFirstCommandsShowCoordWorkingAndSayWhatTheBareServerDoes() throws IOException {
        String text = readme();
        String first = text.substring(text.indexOf("```bash"), text.indexOf("```", text.indexOf("```bash") + 7));
        assertThat(first).contains("examples/demo/run.sh");
        assertThat(first.lines().filter(l -> l.strip().matches(".*java -jar \\S*coord\\.jar\\s*(#.*)?")))
                .as("no first command that starts a server waiting silently on stdin")
                .isEmpty();
        assertThat(text).contains("waits, silent, for a client; started from a terminal it says so on stderr");
    }
}
