package dev.coord.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.server.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class InitCommandTest {
    @TempDir
    Path dir;

    CliFixture f;
    Path jar;

    @BeforeEach
    void setUp() throws Exception {
        f = new CliFixture(Files.createDirectories(dir.resolve("repo")));
        Git.init(f.repo);
        jar = Files.createFile(dir.resolve("coord.jar")).toRealPath();
    }

    private CliFixture.Result init(String... extra) {
        String[] args = Stream.concat(Stream.of("init", "--jar", jar.toString()), Stream.of(extra))
                .toArray(String[]::new);
        return f.run(args);
    }

    private String coordEntry(String indent) {
        return indent + "\"coord\": {\n"
                + indent + "  \"command\": \"java\",\n"
                + indent + "  \"args\": [\n"
                + indent + "    \"-XX:+UseSerialGC\",\n"
                + indent + "    \"-XX:TieredStopAtLevel=1\",\n"
                + indent + "    \"-Xss512k\",\n"
                + indent + "    \"-Xms8m\",\n"
                + indent + "    \"-Xmx128m\",\n"
                + indent + "    \"-XX:-ShrinkHeapInSteps\",\n"
                + indent + "    \"-XX:MinHeapFreeRatio=20\",\n"
                + indent + "    \"-XX:MaxHeapFreeRatio=40\",\n"
                + indent + "    \"-jar\",\n"
                + indent + "    \"" + jar + "\"\n"
                + indent + "  ]\n"
                + indent + "}";
    }

    @Test
    void createsMcpJsonAndIgnoresTheStateDirectory() throws IOException {
        CliFixture.Result r = init();

        assertThat(r.code()).isEqualTo(ExitCodes.SUCCESS);
        assertThat(Files.readString(f.repo.resolve(".mcp.json")))
                .isEqualTo("{\n  \"mcpServers\": {\n" + coordEntry("    ") + "\n  }\n}\n");
        assertThat(Files.readString(f.repo.resolve(".git/info/exclude"))).contains("/.claude/coordination/");
        assertThat(r.out())
                .contains(".mcp.json: created with the coord server")
                .contains("Add this to CLAUDE.md", InitCommand.CLAUDE_MD_BEGIN, "register_instance", "acquire_lock");
        assertThat(f.repo.resolve("CLAUDE.md")).doesNotExist();
    }

    @Test
    void mergesIntoAnExistingFileKeepingOtherServersAndKeyOrder() throws IOException {
        Path mcp = f.repo.resolve(".mcp.json");
        Files.writeString(
                mcp,
                "{\"zeta\": 1.50, \"mcpServers\": {\"web\": {\"url\": \"https://x.example/mcp\", \"type\": \"http\"},"
                        + " \"alpha\": {\"command\": \"npx\", \"args\": [], \"env\": {}}}, \"alpha\": [true, null]}");

        CliFixture.Result r = init();

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains(".mcp.json: added the coord server");
        assertThat(Files.readString(mcp))
                .isEqualTo("{\n"
                        + "  \"zeta\": 1.50,\n"
                        + "  \"mcpServers\": {\n"
                        + "    \"web\": {\n"
                        + "      \"url\": \"https://x.example/mcp\",\n"
                        + "      \"type\": \"http\"\n"
                        + "    },\n"
                        + "    \"alpha\": {\n"
                        + "      \"command\": \"npx\",\n"
                        + "      \"args\": [],\n"
                        + "      \"env\": {}\n"
                        + "    },\n"
                        + coordEntry("    ") + "\n"
                        + "  },\n"
                        + "  \"alpha\": [\n"
                        + "    true,\n"
                        + "    null\n"
                        + "  ]\n"
                        + "}\n");
    }

    @Test
    void refusesInvalidJsonAndANonObjectMcpServersWithoutWritingAnything() throws IOException {
        Path mcp = f.repo.resolve(".mcp.json");
        for (String bad : List.of("{\"mcpServers\": {", "[1, 2]", "{} {}", "", "{\"mcpServers\": []}")) {
            Files.writeString(mcp, bad);

            CliFixture.Result r = init("--hooks", "--claude-md", "--missions");

            assertThat(r.code()).as(bad).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(bad).contains(mcp.toString());
            assertThat(Files.readString(mcp)).isEqualTo(bad);
            assertThat(f.repo.resolve("CLAUDE.md")).doesNotExist();
            assertThat(f.repo.resolve("missions")).doesNotExist();
            assertThat(f.repo.resolve(".claude")).doesNotExist();
        }
        Files.writeString(mcp, "{\"mcpServers\": []}");
        assertThat(init().err()).contains("\"mcpServers\" must be an object, got ARRAY");
    }

    @Test
    void keepsADifferentCoordEntryUnlessForced() throws IOException {
        Path mcp = f.repo.resolve(".mcp.json");
        String mine = "{\n  \"mcpServers\": {\n    \"coord\": {\n      \"command\": \"coord\"\n    }\n  }\n}\n";
        Files.writeString(mcp, mine);

        CliFixture.Result kept = init();
        assertThat(kept.code()).isZero();
        assertThat(kept.out()).contains("kept the existing coord entry", "--force");
        assertThat(Files.readString(mcp)).isEqualTo(mine);

        CliFixture.Result forced = init("--force");
        assertThat(forced.out()).contains(".mcp.json: replaced the coord server");
        assertThat(Files.readString(mcp)).isEqualTo("{\n  \"mcpServers\": {\n" + coordEntry("    ") + "\n  }\n}\n");
    }

    @Test
    void anArchiveNextToTheJarIsUsedByTheServerAndTheHooks() throws IOException {
        Path archive = Files.createFile(dir.resolve("coord.jsa")).toRealPath();

        CliFixture.Result r = init("--hooks", "--legacy-hooks");

        assertThat(r.code()).as(r.err()).isZero();
        String flag = "-XX:SharedArchiveFile=" + archive;
        assertThat(Files.readString(f.repo.resolve(".mcp.json")))
                .contains("\"" + flag + "\"", "\"-Xlog:all=warning:stderr\"", "\"-Xshare:auto\"");
        assertThat(Files.readString(f.repo.resolve(".claude/settings.json")))
                .contains(flag + " -Xshare:auto -jar " + jar + " hook pre-edit");
        assertThat(Files.readString(f.repo.resolve(".git/hooks/pre-commit")))
                .contains("-Xlog:disable -Xlog:all=warning:stderr " + flag
                        + " -Xshare:auto -jar \"$jar\" hook pre-commit");
    }

    @Test
    void hooksIncludeAPrePushWarningAndTheBashGuard() throws IOException {
        CliFixture.Result r = init("--hooks");
        assertThat(r.code()).as(r.err()).isZero();
        Path push = f.repo.resolve(".git/hooks/pre-push");
        assertThat(Files.readString(push))
                .startsWith("#!/bin/sh\n" + LaunchCommands.PUSH_HOOK_MARKER)
                .contains("-jar \"$jar\" hook pre-push \"$@\"");
        assertThat(Files.isExecutable(push)).isTrue();
        assertThat(r.out()).contains("installed the coord pre-push hook");

        Files.writeString(push, "#!/bin/sh\nnpm run check\n");
        CliFixture.Result refused = init("--hooks", "--force");
        assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains(push.toString(), "hook pre-push \"$@\"");
    }

    @Test
    void withoutAnArchiveNoArchiveOptionIsWritten() throws IOException {
        CliFixture.Result r = init("--hooks");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(f.repo.resolve(".mcp.json"))).doesNotContain("SharedArchiveFile", "Xshare");
        assertThat(Files.readString(f.repo.resolve(".claude/settings.json"))).doesNotContain("SharedArchiveFile");
    }

    @Test
    void secondRunChangesNothing() throws IOException {
        Files.writeString(f.repo.resolve("CLAUDE.md"), "# Project\nRules.");
        Files.createDirectories(f.repo.resolve(".claude"));
        Files.writeString(
                f.repo.resolve(".claude/settings.json"),
                "{\"permissions\": {\"allow\": [\"Bash(ls)\"]}, \"hooks\": {\"PreToolUse\": [{\"matcher\": \"Bash\","
                        + " \"hooks\": [{\"type\": \"command\", \"command\": \"echo hi\"}]}]}}");

        CliFixture.Result first = init("--hooks", "--claude-md", "--missions");
        assertThat(first.code()).as(first.err()).isZero();
        Map<Path, byte[]> after = snapshot();

        CliFixture.Result second = init("--hooks", "--claude-md", "--missions");

        assertThat(second.code()).isZero();
        assertThat(second.out())
                .contains(
                        ".mcp.json: unchanged",
                        "settings.json: unchanged",
                        "pre-commit: unchanged",
                        "pre-push: unchanged")
                .contains("CLAUDE.md: unchanged", "missions/{queue,active,done}/: unchanged", "already ignores");
        Map<Path, byte[]> again = snapshot();
        assertThat(again.keySet()).isEqualTo(after.keySet());
        after.forEach((p, bytes) -> assertThat(again.get(p)).as(p.toString()).isEqualTo(bytes));

        assertThat(Files.readString(f.repo.resolve("CLAUDE.md")))
                .startsWith("# Project\nRules.\n\n" + InitCommand.CLAUDE_MD_BEGIN)
                .endsWith(InitCommand.CLAUDE_MD_END + "\n");
        JsonNode settings = JsonText.parse(Files.readString(f.repo.resolve(".claude/settings.json")));
        assertThat(settings.path("permissions").path("allow").get(0).asString()).isEqualTo("Bash(ls)");
        JsonNode pre = settings.path("hooks").path("PreToolUse");
        assertThat(pre.size()).isEqualTo(4);
        assertThat(pre.get(0).path("hooks").get(0).path("command").asString()).isEqualTo("echo hi");
        assertThat(pre.get(1).path("matcher").asString()).isEqualTo("Write|Edit|MultiEdit");
        assertThat(pre.get(2).path("matcher").asString()).isEqualTo("NotebookEdit");
        assertThat(pre.get(3).path("matcher").asString()).isEqualTo("Bash");
        assertThat(pre.get(3).path("hooks").get(0).path("input").path("command").asString())
                .isEqualTo("${tool_input.command}");
        assertThat(f.repo.resolve("missions/queue")).isDirectory();
        assertThat(f.repo.resolve("missions/done")).isDirectory();
    }

    @Test
    void theMissionsFoldersSurviveACommitAndAClone() throws Exception {
        CliFixture.Result r = init("--missions");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("missions/{queue,active,done}/: created, each with a .gitkeep");
        Git.run(f.repo, "add", "-A");
        Git.run(f.repo, "commit", "-q", "-m", "coord init");

        Path clone = dir.resolve("clone");
        Git.run(dir, "clone", "-q", f.repo.toString(), clone.toString());

        for (String d : List.of("queue", "active", "done")) {
            assertThat(clone.resolve("missions").resolve(d)).as(d).isDirectory();
        }
        CliFixture.Result missions = new CliFixture(clone).run("missions");
        assertThat(missions.code()).as(missions.err()).isZero();
        // an older layout without .gitkeep is completed by a second run
        Files.delete(f.repo.resolve("missions/active/.gitkeep"));
        assertThat(init("--missions").out()).contains("missions/{queue,active,done}/: created");
        assertThat(f.repo.resolve("missions/active/.gitkeep")).exists();
    }

    @Test
    void refusesAForeignPreCommitHookBeforeWritingAnything() throws IOException {
        Path hook = f.repo.resolve(".git/hooks/pre-commit");
        Files.createDirectories(hook.getParent());
        Files.writeString(hook, "#!/bin/sh\nnpm run lint\n");

        CliFixture.Result r = init("--hooks");

        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(hook.toString(), "hook pre-commit");
        assertThat(Files.readString(hook)).isEqualTo("#!/bin/sh\nnpm run lint\n");
        assertThat(f.repo.resolve(".mcp.json")).doesNotExist();
    }

    @Test
    void refusesAMissingJarAndQuotesPathsForTheShell() throws IOException {
        CliFixture.Result r = f.run("init", "--jar", "nope.jar");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("nope.jar");
        assertThat(LaunchCommands.shellQuote("/opt/coord/coord.jar")).isEqualTo("/opt/coord/coord.jar");
        assertThat(LaunchCommands.shellQuote("/My Tools/it's.jar")).isEqualTo("'/My Tools/it'\\''s.jar'");
    }

    @Test
    void theExamplesMatchWhatInitWrites() throws IOException {
        Path examples = Path.of("..", "examples");
        assertThat(Files.readString(examples.resolve("CLAUDE.md"))).isEqualTo(InitCommand.CLAUDE_MD);
        String settings = Files.readString(examples.resolve(".claude/settings.json"));
        assertThat(JsonText.write(JsonText.parse(settings))).isEqualTo(settings);
        // the entry init writes for an installed jar: its launcher, no arguments, loaded before the first turn
        String mcp = Files.readString(examples.resolve(".mcp.json"));
        JsonNode entry = JsonText.parse(mcp).path("mcpServers").path("coord");
        assertThat(entry.path("command").asString()).endsWith("/.local/share/coord/0.1.0/bin/coord");
        assertThat(entry.path("args").size()).isZero();
        assertThat(entry.path("alwaysLoad").asBoolean(false)).isTrue();
        assertThat(JsonText.write(JsonText.parse(mcp))).isEqualTo(mcp);
    }

    private Map<Path, byte[]> snapshot() throws IOException {
        Map<Path, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(f.repo)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isRegularFile(p) && !p.toString().contains("/.git/objects/")) {
                    files.put(f.repo.relativize(p), Files.readAllBytes(p));
                } else if (Files.isDirectory(p)) {
                    files.put(f.repo.relativize(p), new byte[0]);
                }
            }
        }
        return files;
    }

    @Test
    void hooksAreMcpToolHooksCallingTheSessionsOwnServerAndTheServerIsLoadedFirst() throws IOException {
        CliFixture.Result r = init("--hooks");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode mcp = JsonText.parse(Files.readString(f.repo.resolve(".mcp.json")));
        assertThat(mcp.path("mcpServers").path("coord").path("alwaysLoad").asBoolean(false))
                .isTrue();
        JsonNode hooks = JsonText.parse(Files.readString(f.repo.resolve(".claude/settings.json")))
                .path("hooks");
        JsonNode edit = hooks.path("PreToolUse").get(0).path("hooks").get(0);
        assertThat(edit.path("type").asString()).isEqualTo("mcp_tool");
        assertThat(edit.path("server").asString()).isEqualTo("coord");
        assertThat(edit.path("tool").asString()).isEqualTo("hook");
        assertThat(edit.path("input").path("event").asString()).isEqualTo("${hook_event_name}");
        assertThat(edit.path("input").path("file_path").asString()).isEqualTo("${tool_input.file_path}");
        assertThat(hooks.path("PreToolUse")
                        .get(1)
                        .path("hooks")
                        .get(0)
                        .path("input")
                        .path("file_path")
                        .asString())
                .isEqualTo("${tool_input.notebook_path}");
        assertThat(hooks.path("PostToolUse").get(0).path("matcher").asString()).isEqualTo("*");
        assertThat(hooks.path("PostToolUse")
                        .get(0)
                        .path("hooks")
                        .get(0)
                        .path("tool")
                        .asString())
                .isEqualTo("hook");
        assertThat(hooks.path("UserPromptSubmit").get(0).path("matcher").isMissingNode())
                .isTrue();
        assertThat(hooks.toString()).doesNotContain("hook pre-edit");
    }

    @Test
    void theLegacyCommandHookIsReplacedByMcpToolHooksOnlyWithForceAndOtherHooksStay() throws IOException {
        Files.createDirectories(f.repo.resolve(".claude"));
        Files.writeString(
                f.repo.resolve(".claude/settings.json"),
                "{\"hooks\": {\"PostToolUse\": [{\"matcher\": \"Bash\", \"hooks\": [{\"type\": \"command\","
                        + " \"command\": \"echo after\"}]}]}}");
        assertThat(init("--hooks", "--legacy-hooks").out()).contains("added the command (hook pre-edit) hooks");
        CliFixture.Result kept = init("--hooks");
        assertThat(kept.out()).contains("kept coord's existing hooks", "--force");
        assertThat(Files.readString(f.repo.resolve(".claude/settings.json"))).contains("hook pre-edit");
        CliFixture.Result replaced = init("--hooks", "--force");
        assertThat(replaced.out()).contains("replaced coord's hooks with the mcp_tool hooks");
        String text = Files.readString(f.repo.resolve(".claude/settings.json"));
        assertThat(text).doesNotContain("hook pre-edit").contains("echo after", "mcp_tool");
        assertThat(init("--hooks").out()).contains("settings.json: unchanged");
    }

    @Test
    void addingHooksLaterSetsAlwaysLoadOnTheEntryInitWrote() throws IOException {
        init();
        assertThat(Files.readString(f.repo.resolve(".mcp.json"))).doesNotContain("alwaysLoad");
        CliFixture.Result r = init("--hooks");
        assertThat(r.out()).contains(".mcp.json: set alwaysLoad");
        assertThat(Files.readString(f.repo.resolve(".mcp.json"))).contains("\"alwaysLoad\": true");
    }

    @Test
    void aJarInABuildFolderIsRefusedWithTheWayOut() throws IOException {
        Path project = Files.createDirectories(dir.resolve("checkout"));
        Files.writeString(project.resolve("pom.xml"), "<project/>");
        Path built = Files.createFile(
                Files.createDirectories(project.resolve("server/target")).resolve("coord.jar"));
        Files.writeString(project.resolve("server/pom.xml"), "<project/>");
        CliFixture.Result r = f.run("init", "--jar", built.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("is in a build folder", "coord install");
        assertThat(f.repo.resolve(".mcp.json")).doesNotExist();
    }

    @Test
    void anInstalledJarIsStartedThroughItsLauncher() throws IOException {
        Path version = Files.createDirectories(dir.resolve("share/coord/1.0"));
        Path installed = Files.createFile(version.resolve("coord.jar"));
        Path launcher = Files.createDirectories(version.resolve("bin")).resolve("coord");
        Files.writeString(launcher, "#!/bin/sh\n");
        assertThat(launcher.toFile().setExecutable(true)).isTrue();
        CliFixture.Result r = f.run("init", "--jar", installed.toString(), "--hooks");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode entry = JsonText.parse(Files.readString(f.repo.resolve(".mcp.json")))
                .path("mcpServers")
                .path("coord");
        assertThat(entry.path("command").asString())
                .isEqualTo(launcher.toRealPath().toString());
        assertThat(entry.path("args").size()).isZero();
        assertThat(entry.path("alwaysLoad").asBoolean(false)).isTrue();
    }

    @Test
    void claudeVersionsFrom2_1_118HaveMcpToolHooks() {
        assertThat(ClaudeHooks.atLeast("2.1.337 (Claude Code)", ClaudeHooks.MCP_TOOL_SINCE))
                .isTrue();
        assertThat(ClaudeHooks.atLeast("2.1.118 (Claude Code)", ClaudeHooks.MCP_TOOL_SINCE))
                .isTrue();
        assertThat(ClaudeHooks.atLeast("2.1.117", ClaudeHooks.MCP_TOOL_SINCE)).isFalse();
        assertThat(ClaudeHooks.atLeast("1.9.999", ClaudeHooks.MCP_TOOL_SINCE)).isFalse();
        assertThat(ClaudeHooks.atLeast("3.0.0", ClaudeHooks.MCP_TOOL_SINCE)).isTrue();
        assertThat(ClaudeHooks.atLeast("unknown", ClaudeHooks.MCP_TOOL_SINCE)).isNull();
        assertThat(JavaFinder.parse("openjdk version \"17.0.15\" 2025-04-15")).isEqualTo(17);
        assertThat(JavaFinder.parse("openjdk version \"25\" 2025-09-16")).isEqualTo(25);
        assertThat(JavaFinder.parse("java version \"1.8.0_402\"")).isEqualTo(8);
        assertThat(JavaFinder.parse("no java here")).isEqualTo(-1);
    }

    @Test
    void theExampleSettingsAndThePluginsHooksAreWhatInitWrites() throws IOException {
        Path top = Path.of("..").toAbsolutePath().normalize();
        JsonNode wanted = JsonText.mapper().valueToTree(ClaudeHooks.mcpTool());
        JsonNode example = JsonText.parse(Files.readString(top.resolve("examples/.claude/settings.json")))
                .path("hooks");
        assertThat(example).isEqualTo(wanted);
        // the plugin's server is named plugin:<plugin>:<server> by Claude Code (checked with the real CLI in PluginIT)
        String plugin =
                Files.readString(top.resolve("plugin/hooks/hooks.json")).replace("\"plugin:coord:coord\"", "\"coord\"");
        assertThat(JsonText.parse(plugin).path("hooks")).isEqualTo(wanted);
    }
}
