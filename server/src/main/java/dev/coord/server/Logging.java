package dev.coord.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Sets up slf4j-simple before the first logger is created: logs go to stderr (or {@code COORD_LOG_FILE}, appended to
 * line by line), never to stdout, which carries JSON-RPC only.
 */
final class Logging {
    static final String LEVEL = "COORD_LOG_LEVEL";
    static final String FILE = "COORD_LOG_FILE";
    private static final String LOG_FILE_PROPERTY = "org.slf4j.simpleLogger.logFile";

    private Logging() {}

    static void configure(Map<String, String> env) {
        String file = env.get(FILE);
        if (file != null && !file.isBlank() && System.getProperty(LOG_FILE_PROPERTY) == null) {
            // slf4j-simple truncates its log file at start: each new session would wipe the others' logs
            try {
                System.setErr(new PrintStream(new LogFileStream(Path.of(file.strip())), true, StandardCharsets.UTF_8));
            } catch (IOException | InvalidPathException e) {
                System.err.println(
                        "coord: cannot open " + FILE + "=" + file + " (" + e.getMessage() + "); logging to stderr");
            }
        }
        set(LOG_FILE_PROPERTY, "System.err");
        set("org.slf4j.simpleLogger.defaultLogLevel", env.getOrDefault(LEVEL, "info"));
        set("org.slf4j.simpleLogger.log.io.modelcontextprotocol", "warn");
        set("org.slf4j.simpleLogger.showDateTime", "true");
        set("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        set("org.slf4j.simpleLogger.showThreadName", "false");
        set("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    /** For the command line: stderr, warnings only unless {@code COORD_LOG_LEVEL} says otherwise. */
    static void configureCli(Map<String, String> env) {
        set("org.slf4j.simpleLogger.defaultLogLevel", env.getOrDefault(LEVEL, "warn"));
        configure(env);
    }

    private static void set(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
