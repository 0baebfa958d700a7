package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The real jar started on damaged state: it sets the bad file aside, says so in {@code status.problems}, and keeps
 * working; an instance whose pid now belongs to another program is reaped and its locks are free.
 */
class CorruptStateIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path repo;

    private Path state() {
        return repo.resolve(".claude/coordination");
    }

    static Stream<Arguments> damagedFiles() {
        return Stream.of(
                Arguments.of(
                        "truncated registry",
                        "registry.json",
                        "{\"schemaVersion\": 1, \"instances\": [{\"id\": \"claude-20261121-100000-aaaa"),
                Arguments.of(
                        "registry with wrong types",
                        "registry.json",
                        "{\"schemaVersion\": \"one\", \"instances\": {\"pid\": \"x\"}}"),
                Arguments.of(
                        "lock table with an unknown schemaVersion",
                        "locks.json",
                        "{\"schemaVersion\": 99, \"locks\": [], \"next_token\": 5}"),
                Arguments.of("lock table that is not JSON", "locks.json", "\u0000\u0001 not json"));
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedFiles")
    void damagedFileIsSetAsideReportedAndTheServerKeepsWorking(String what, String file, String content)
            throws Exception {
        Files.createDirectories(state());
        Files.writeString(state().resolve(file), content);

        try (CoordProcess coord = new CoordProcess(repo, Map.of())) {
            Map<String, Object> status = coord.ok("status", Map.of());
            assertThat((List<String>) status.get("problems"))
                    .as("status: %s", status)
                    .isNotEmpty()
                    .anySatisfy(p -> assertThat(p).contains(file));
            assertThat(setAside(file)).as("%s.corrupt-* files", file).isNotEmpty();
            assertThat(coord.ok("acquire_lock", Map.of("paths", List.of("src/A.java")))
                            .get("acquired"))
                    .isEqualTo(true);
            assertThat((String) coord.ok(
                                    "log_decision",
                                    Map.of("category", "c", "title", "t", "description", "after " + what))
                            .get("id"))
                    .startsWith("DEC-");
        }
        BadInputIT.assertStateFilesMatchSchemas(state());
    }

    /**
     * The scenario: locks.json overwritten with garbage while session D holds README.md. The table is rebuilt
     * from the audit log: E cannot take README.md, D is told and can release it.
     */
    @SuppressWarnings("unchecked")
    @org.junit.jupiter.api.Test
    void aDamagedLockTableKeepsTheLiveLocksAndTellsTheirHolder() throws Exception {
        Files.writeString(repo.resolve("README.md"), "hello\n");
        try (CoordProcess d = new CoordProcess(repo, Map.of());
                CoordProcess e = new CoordProcess(repo, Map.of())) {
            assertThat(d.ok("acquire_lock", Map.of("paths", List.of("README.md")))
                            .get("acquired"))
                    .isEqualTo(true);
            e.ok("status", Map.of());
            Files.writeString(state().resolve("locks.json"), "garbage, as if another program wrote it");
            Map<String, Object> refused = e.ok("acquire_lock", Map.of("paths", List.of("README.md")));
            assertThat(refused.get("acquired")).as("E: %s", refused).isEqualTo(false);
            assertThat(setAside("locks.json")).hasSize(1);
            Map<String, Object> told = d.ok("acquire_lock", Map.of("paths", List.of("other.txt")));
            assertThat((List<String>) told.get("notices"))
                    .as("D: %s", told)
                    .singleElement()
                    .asString()
                    .contains("README.md", "rebuilt from the audit log");
            Map<String, Object> released = d.ok("release_lock", Map.of("paths", List.of("README.md")));
            assertThat(released.toString()).doesNotContain("NOT_HELD").contains("README.md");
            assertThat(e.ok("acquire_lock", Map.of("paths", List.of("README.md")))
                            .get("acquired"))
                    .isEqualTo(true);
            for (CoordProcess p : List.of(d, e)) {
                assertThat((List<String>) p.ok("status", Map.of()).get("problems"))
                        .as("reported to every session while the file lies there")
                        .singleElement()
                        .asString()
                        .contains("locks.json.corrupt-");
            }
        }
        BadInputIT.assertStateFilesMatchSchemas(state());
    }

    /** {@code coord status} is read-only: on damaged state files it renames, rewrites and deletes nothing. */
    @org.junit.jupiter.api.Test
    void coordStatusOnDamagedStateChangesNothing() throws Exception {
        try (CoordProcess d = new CoordProcess(repo, Map.of())) {
            assertThat(d.ok("acquire_lock", Map.of("paths", List.of("x.txt"))).get("acquired"))
                    .isEqualTo(true);
        }
        Files.writeString(state().resolve("locks.json"), "garbage, as if another program wrote it");
        Files.writeString(state().resolve("registry.json"), "{\"schemaVersion\": 1, \"instances\": [");
        Files.writeString(state().resolve(".locks.json.0123abcd.tmp"), "left by a crashed writer");
        Map<String, String> before = contents();
        for (List<String> command : List.of(List.of("status"), List.of("status", "--json"), List.of("locks", "list"))) {
            List<String> cmd = new java.util.ArrayList<>(
                    List.of(CoordProcess.java(), "-jar", CoordProcess.jar().toString()));
            cmd.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true);
            pb.environment().put("CLAUDE_PROJECT_DIR", repo.toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as("%s: %s", command, out).isZero();
            if (command.contains("--json")) {
                assertThat(out).as("it read this state directory").contains(state().toString());
            }
            assertThat(contents()).as("after coord %s", command).isEqualTo(before);
        }
        Files.delete(state().resolve(".locks.json.0123abcd.tmp"));
        try (CoordProcess d = new CoordProcess(repo, Map.of())) {
            assertThat(d.ok("acquire_lock", Map.of("paths", List.of("x.txt"))).get("acquired"))
                    .isEqualTo(true);
        }
    }

    private Map<String, String> contents() throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(state())) {
            for (Path p : files.toList()) {
                out.put(p.getFileName().toString(), Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"this JVM's pid with another start time", "pid 1"})
    void instanceWhosePidNowBelongsToAnotherProgramIsReapedAndItsLockIsFree(String who) throws Exception {
        String registry;
        String locks;
        try (CoordProcess first = new CoordProcess(repo, Map.of())) {
            assertThat(first.ok("acquire_lock", Map.of("paths", List.of("x.txt")))
                            .get("acquired"))
                    .isEqualTo(true);
            registry = Files.readString(state().resolve("registry.json"));
            locks = Files.readString(state().resolve("locks.json"));
        }
        // as if that process had been killed, and its pid then given to another program
        ObjectNode reg = (ObjectNode) JSON.readTree(registry);
        long pid = who.equals("pid 1") ? 1 : ProcessHandle.current().pid();
        for (JsonNode instance : reg.path("instances")) {
            ((ObjectNode) instance).put("pid", pid).put("process_start", "2001-02-03T04:05:06Z");
        }
        assertThat(reg.path("instances").size()).isEqualTo(1);
        Files.writeString(state().resolve("registry.json"), JSON.writeValueAsString(reg));
        Files.writeString(state().resolve("locks.json"), locks);

        try (CoordProcess second = new CoordProcess(repo, Map.of())) {
            assertThat(second.ok("acquire_lock", Map.of("paths", List.of("x.txt")))
                            .get("acquired"))
                    .as("the dead holder's lock is free")
                    .isEqualTo(true);
            assertThat((String) second.ok("log_decision", Map.of("category", "c", "title", "t", "description", who))
                            .get("id"))
                    .startsWith("DEC-");
        }
        assertThat(Files.readString(state().resolve("audit.jsonl")))
                .contains("\"reap\"")
                .contains("process " + pid + " exited");
        BadInputIT.assertStateFilesMatchSchemas(state());
    }

    private List<Path> setAside(String name) throws IOException {
        try (Stream<Path> files = Files.list(state())) {
            return files.filter(p -> p.getFileName().toString().startsWith(name + ".corrupt-"))
                    .toList();
        }
    }
}
