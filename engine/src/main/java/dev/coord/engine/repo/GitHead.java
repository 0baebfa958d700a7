package dev.coord.engine.repo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads the checked-out branch from a worktree's {@code HEAD} file. */
final class GitHead {

    static final String DETACHED_PREFIX = "detached@";

    private static final String REF_PREFIX = "ref:";
    private static final String BRANCH_PREFIX = "refs/heads/";
    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");
    private static final int SHORT_ID_LENGTH = 12;

    private GitHead() {}

    /**
     * {@code ref: refs/heads/x} gives {@code x}, another symbolic ref gives the ref itself, an object id
     * gives {@code detached@} and its first 12 hex digits; null when HEAD is missing, unreadable or garbled.
     */
    static String branch(Path gitDir) {
        String head;
        try {
            head = Files.readString(gitDir.resolve("HEAD"), StandardCharsets.UTF_8)
                    .strip();
        } catch (IOException e) {
            return null;
        }
        return parse(head);
    }

    static String parse(String head) {
        if (head.startsWith(REF_PREFIX)) {
            String ref = head.substring(REF_PREFIX.length()).strip();
            if (ref.isEmpty()) {
                return null;
            }
            return ref.startsWith(BRANCH_PREFIX) ? ref.substring(BRANCH_PREFIX.length()) : ref;
        }
        if (OBJECT_ID.matcher(head).matches()) {
            return DETACHED_PREFIX + head.substring(0, SHORT_ID_LENGTH).toLowerCase(Locale.ROOT);
        }
        return null;
    }
}
