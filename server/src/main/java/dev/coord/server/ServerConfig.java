package dev.coord.server;

import dev.coord.engine.EngineSettings;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings read from the environment (the {@code env} of {@code .mcp.json}). Durations accept a number with a unit:
 * {@code 500ms}, {@code 30s}, {@code 30m}, {@code 24h}; a bare number is seconds.
 *
 * @param engine lock and liveness timing
 * @param allowNetworkFs run even if the state directory is on a network file system (file locks are unreliable there)
 * @param fsyncState force lock and registry files to disk on every change (decisions always are)
 * @param storeUrl the PostgreSQL store's URL ({@code COORD_STORE_URL}), or null for the file store
 */
public record ServerConfig(EngineSettings engine, boolean allowNetworkFs, boolean fsyncState, String storeUrl) {
    public static final String LOCK_TTL = "COORD_LOCK_TTL";
    public static final String MAX_LOCK_TTL = "COORD_MAX_LOCK_TTL";
    public static final String HEARTBEAT = "COORD_HEARTBEAT_INTERVAL";
    public static final String STALE_AFTER = "COORD_STALE_AFTER";
    public static final String MAX_WAIT = "COORD_MAX_WAIT";
    public static final String ALLOW_NETWORK_FS = "COORD_ALLOW_NETWORK_FS";
    public static final String FSYNC = "COORD_FSYNC";
    /** Selects the PostgreSQL store: {@code jdbc:postgresql://...} or {@code postgres://...}. */
    public static final String STORE_URL = "COORD_STORE_URL";
    /** The project key of the PostgreSQL store (default: the normalized origin URL). */
    public static final String PROJECT = "COORD_PROJECT";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");

    public static ServerConfig fromEnv(Map<String, String> env) {
        EngineSettings d = EngineSettings.defaults();
        Duration ttl = duration(env, LOCK_TTL, d.defaultTtl());
        Duration maxTtl = duration(env, MAX_LOCK_TTL, d.maxTtl());
        Duration heartbeat = duration(env, HEARTBEAT, d.heartbeatInterval());
        Duration staleAfter = duration(env, STALE_AFTER, d.staleAfter());
        Duration maxWait = duration(env, MAX_WAIT, d.maxWait());
        // each rule of EngineSettings, said with the variables a person set
        long minTtl = EngineSettings.MIN_TTL.toSeconds();
        if (maxTtl.compareTo(EngineSettings.MIN_TTL) < 0) {
            throw new ConfigException(
                    MAX_LOCK_TTL + " must be at least " + minTtl + "s, got \"" + env.get(MAX_LOCK_TTL) + "\"");
        }
        if (ttl.compareTo(EngineSettings.MIN_TTL) < 0 || ttl.compareTo(maxTtl) > 0) {
            throw new ConfigException(LOCK_TTL + " must be between " + minTtl + "s and " + MAX_LOCK_TTL + " ("
                    + shown(maxTtl) + "), got \"" + (env.get(LOCK_TTL) == null ? shown(ttl) : env.get(LOCK_TTL))
                    + "\"");
        }
        if (heartbeat.isZero()) {
            throw new ConfigException(HEARTBEAT + " must be more than 0, got \"" + env.get(HEARTBEAT) + "\"");
        }
        if (staleAfter.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new ConfigException(STALE_AFTER + " (" + shown(staleAfter) + ") must be at least twice " + HEARTBEAT
                    + " (" + shown(heartbeat) + ")");
        }
        EngineSettings engine;
        try {
            engine = new EngineSettings(ttl, maxTtl, heartbeat, staleAfter, maxWait);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        String rawFsync = env.get(FSYNC);
        String fsync = rawFsync == null || rawFsync.isBlank()
                ? "decisions"
                : rawFsync.trim().toLowerCase(Locale.ROOT);
        if (!fsync.equals("decisions") && !fsync.equals("all")) {
            throw new ConfigException(FSYNC + " must be \"decisions\" or \"all\", got \"" + env.get(FSYNC) + "\"");
        }
        return new ServerConfig(engine, flag(env, ALLOW_NETWORK_FS), fsync.equals("all"), storeUrl(env));
    }

    /** The store URL, checked for its scheme only here (parsing it needs the PostgreSQL module). */
    static String storeUrl(Map<String, String> env) {
        String raw = env.get(STORE_URL);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String lower = raw.strip().toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:postgresql://")
                && !lower.startsWith("postgres://")
                && !lower.startsWith("postgresql://")) {
            String shown = raw.strip().replaceAll("(//[^/:@]*:)[^@/]*@", "$1***@");
            throw new ConfigException(STORE_URL + " must be a PostgreSQL URL (jdbc:postgresql://host:port/db or"
                    + " postgres://user@host:port/db), got \"" + shown + "\"; leave it unset for the file store");
        }
        String project = env.get(PROJECT);
        if (project != null && project.strip().length() > 500) {
            throw new ConfigException(PROJECT + " must be at most 500 characters");
        }
        return raw.strip();
    }

    static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        Matcher m = DURATION.matcher(raw.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(name + " must be a duration such as 500ms, 30s, 30m or 24h, got \"" + raw + "\"");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static String shown(Duration d) {
        return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : d.toSeconds() + "s";
    }

    static boolean flag(Map<String, String> env, String name) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return false;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw new ConfigException(name + " must be true or false, got \"" + raw + "\"");
        };
    }
}
