package dev.coord.server.store;

import dev.coord.engine.repo.RepoLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key that separates repositories in one shared database: {@code COORD_PROJECT} when set, else the repository's
 * {@code origin} remote URL normalized ({@code git@github.com:Owner/repo.git}, {@code https://github.com/Owner/repo}
 * and {@code ssh://git@github.com/Owner/repo.git} all give {@code github.com/Owner/repo}), so that the clones of one
 * repository on several machines meet; else the main worktree's path (one machine only).
 */
public final class ProjectKey {
    public static final String ENV = "COORD_PROJECT";
    private static final Pattern SCP = Pattern.compile("^(?:[^@/]+@)?([^:/]+):(?!//)(.+)$");
    private static final Pattern URL =
            Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[^@/]*@)?([^/:]+)(?::\\d+)?/(.+)$");

    private ProjectKey() {}

    public static String of(Map<String, String> env, RepoLayout layout) {
        String explicit = env.get(ENV);
        if (explicit != null && !explicit.isBlank()) {
            return explicit.strip();
        }
        if (layout.git()) {
            String origin = originUrl(layout.gitCommonDir());
            if (origin != null) {
                String key = normalize(origin);
                if (key != null) {
                    return key;
                }
            }
        }
        return layout.mainWorktreeRoot().toString();
    }

    /** {@code host/path} without scheme, user, port and {@code .git}; null when it is not a remote URL. */
    static String normalize(String remote) {
        String r = remote.strip();
        String host;
        String path;
        Matcher m = URL.matcher(r);
        if (m.matches()) {
            host = m.group(1);
            path = m.group(2);
        } else {
            Matcher s = SCP.matcher(r);
            if (!s.matches() || r.startsWith("/") || r.startsWith(".")) {
                return null;
            }
            host = s.group(1);
            path = s.group(2);
        }
        path = path.replaceAll("/+$", "");
        if (path.endsWith(".git")) {
            path = path.substring(0, path.length() - 4);
        }
        path = path.replaceAll("^/+", "");
        if (path.isEmpty()) {
            return null;
        }
        return host.toLowerCase(Locale.ROOT) + "/" + path;
    }

    /** The url of {@code [remote "origin"]} in the repository's config, or null. */
    static String originUrl(Path gitCommonDir) {
        Path config = gitCommonDir.resolve("config");
        List<String> lines;
        try {
            lines = Files.readAllLines(config, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        boolean inOrigin = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                inOrigin = line.replaceAll("\\s+", " ").equals("[remote \"origin\"]");
                continue;
            }
            if (inOrigin) {
                int eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).strip().equalsIgnoreCase("url")) {
                    return line.substring(eq + 1).strip();
                }
            }
        }
        return null;
    }
}
