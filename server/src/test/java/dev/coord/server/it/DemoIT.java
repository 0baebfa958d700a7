package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code examples/demo/run.sh}: the two-session demo runs against the built jar, and what it shows is what happened.
 */
class DemoIT {
    static final Path RUN =
            Path.of("..", "examples", "demo", "run.sh").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void theDemoShowsAConflictASharedDecisionAndAClaimRaceWithOneWinner() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", RUN.toString()).directory(tmp.toFile());
        pb.environment().put("COORD_JAR", CoordProcess.jar().toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("DEMO_DIR", tmp.resolve("scratch").toString());
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the demo finishes").isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        String why = text + "\nstderr:\n" + Files.readString(err, StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(why).isZero();
        assertThat(text).as(why).contains("RESULT: all outcomes as expected").doesNotContain("FAILED");
        assertThat(Pattern.compile("^   ok ", Pattern.MULTILINE).matcher(text).results())
                .as(why)
                .hasSize(10);

        String idA = group(text, "  A is (claude-\\S+) ");
        String idB = group(text, "  B is (claude-\\S+) ");
        assertThat(idA).isNotEqualTo(idB);
        // the refusal names the holder
        assertThat(text).contains("B  acquire_lock src/Login.java    -> acquired: false, held by " + idA);
        assertThat(text).contains("B  ... the wait ends              -> acquired: true");
        // the decision crosses sessions
        String decision = group(text, "A  log_decision category=api      -> (DEC-\\d{8}-\\d{4}) ");
        assertThat(text).contains("B  query_decisions category=api   -> 1 decision: " + decision + " by " + idA);
        // one winner, and the loser names it
        List<String> won = Pattern.compile("^([AB])  -> claimed: true", Pattern.MULTILINE)
                .matcher(text)
                .results()
                .map(m -> m.group(1))
                .toList();
        assertThat(won).as(why).hasSize(1);
        String winner = won.get(0).equals("A") ? idA : idB;
        assertThat(text).contains("-> claimed: false, ALREADY_CLAIMED, held by " + winner);

        // the state agrees with the story
        Path repo = tmp.resolve("scratch/repo");
        assertThat(repo.resolve("missions/active/2026-11-22-session-timeout.md"))
                .exists();
        assertThat(repo.resolve("missions/queue/2026-11-22-session-timeout.md")).doesNotExist();
        assertThat(Files.readAllLines(repo.resolve(".claude/coordination/decisions.jsonl")))
                .singleElement()
                .satisfies(line -> assertThat(line).contains(decision).contains(idA));
        JsonNode after = status(repo);
        assertThat(after.get("instances"))
                .as("both sessions unregistered when their stdin closed")
                .isEmpty();
        assertThat(after.get("locks")).as("and their locks went with them").isEmpty();
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in:%n%s", regex, text).isTrue();
        return m.group(1);
    }

    private static JsonNode status(Path repo) throws Exception {
        Process p = new ProcessBuilder(
                        CoordProcess.java(), "-jar", CoordProcess.jar().toString(), "status", "--json")
                .directory(repo.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] json = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return Json.mapper().readTree(json);
    }
}
