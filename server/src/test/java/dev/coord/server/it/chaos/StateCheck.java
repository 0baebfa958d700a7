package dev.coord.server.it.chaos;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checks a state directory without depending on its exact file set: every {@code *.json} parses, every line of every
 * {@code *.jsonl} (and rotated {@code *.jsonl.N}) parses, files with a schema in {@code schemas/state/} match it, and
 * no temp file or set-aside corrupt file is there.
 */
final class StateCheck {
    private static final Map<String, String> SCHEMAS = Map.of(
            "registry.json", "registry.schema.json",
            "locks.json", "locks.schema.json",
            "missions.json", "missions.schema.json",
            "decisions.jsonl", "decision.schema.json",
            "messages.jsonl", "message.schema.json",
            "message-reads.json", "message-reads.schema.json",
            "audit.jsonl", "audit-event.schema.json",
            "audit.jsonl.1", "audit-event.schema.json",
            "radar.json", "radar.schema.json");

    final List<String> problems = new ArrayList<>();
    private final Map<String, Map<String, Object>> schemas = new java.util.HashMap<>();
    int documents;
    int lines;
    int tempFiles;
    int corruptFiles;

    static StateCheck of(Path stateDir, List<Path> missionFolders) {
        StateCheck c = new StateCheck();
        c.checkState(stateDir);
        for (Path folder : missionFolders) {
            c.checkMissionFolder(folder);
        }
        return c;
    }

    /** Files that count as corrupt: documents or lines that do not parse or match, and files set aside. */
    int corrupt() {
        return corruptFiles;
    }

    private void checkState(Path dir) {
        JsonSchemaValidator validator = McpJsonDefaults.getSchemaValidator();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp")) {
                    tempFiles++;
                    problems.add("temp file left: " + name);
                } else if (name.contains(".corrupt")) {
                    corruptFiles++;
                    problems.add("set aside as corrupt: " + name);
                } else if (name.endsWith(".json")) {
                    documents++;
                    if (!valid(validator, name, Files.readString(f, StandardCharsets.UTF_8), name)) {
                        corruptFiles++;
                    }
                } else if (name.endsWith(".jsonl") || name.matches(".*\\.jsonl\\.\\d+")) {
                    documents++;
                    int n = 0;
                    boolean bad = false;
                    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                        n++;
                        lines++;
                        if (!valid(validator, name, line, name + " line " + n)) {
                            bad = true;
                        }
                    }
                    if (bad) {
                        corruptFiles++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkMissionFolder(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    tempFiles++;
                    problems.add("temp file left: " + folder.getFileName() + "/" + name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private boolean valid(JsonSchemaValidator validator, String name, String json, String what) throws IOException {
        Object doc;
        try {
            doc = RawServer.JSON.readValue(json, Object.class);
        } catch (RuntimeException e) {
            problems.add(what + " does not parse: " + shorten(json));
            return false;
        }
        String schemaFile = SCHEMAS.get(name);
        if (schemaFile == null) {
            return true;
        }
        Map<String, Object> schema = schemas.get(schemaFile);
        if (schema == null) {
            try (InputStream in =
                    StateCheck.class.getClassLoader().getResourceAsStream("schemas/state/" + schemaFile)) {
                if (in == null) {
                    problems.add("no schema " + schemaFile + " on the class path");
                    return true;
                }
                schema = RawServer.JSON.readValue(in, Map.class);
            }
            schemas.put(schemaFile, schema);
        }
        var result = validator.validate(schema, doc);
        if (!result.valid()) {
            problems.add(what + " does not match " + schemaFile + ": " + result.errorMessage());
            return false;
        }
        return true;
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
