package dev.coord.server;

import dev.coord.engine.git.Git;
import dev.coord.engine.git.Radar;
import dev.coord.engine.git.RadarCache;
import dev.coord.engine.git.RadarRefresher;
import dev.coord.engine.model.Snapshot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The git overlap radar's settings: {@code COORD_RADAR_INTERVAL} (how often the newest result may be recomputed, 5 s
 * by default; {@code 0} turns the radar off) and {@code COORD_BASE_BRANCH} (the branch whose merge base marks a
 * branch's own commits; by default the one {@code origin/HEAD} names, else {@code main}, else {@code master}).
 */
public record RadarConfig(Duration interval, String baseBranch) {
    public static final String INTERVAL = "COORD_RADAR_INTERVAL";
    public static final String BASE_BRANCH = "COORD_BASE_BRANCH";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    public static RadarConfig fromEnv(Map<String, String> env) {
        Duration interval = ServerConfig.duration(env, INTERVAL, DEFAULT_INTERVAL);
        String base = env.get(BASE_BRANCH);
        if (base != null && (base.isBlank() || base.startsWith("-") || base.contains(".."))) {
            throw new ConfigException(BASE_BRANCH + " must name a branch, got \"" + base + "\"");
        }
        return new RadarConfig(interval, base == null ? null : base.strip());
    }

    public boolean enabled() {
        return !interval.isZero();
    }

    /** A refresher for the repository whose state directory is {@code stateDir}. */
    public RadarRefresher refresher(Supplier<Snapshot> state, Path stateDir, String host, Clock clock) {
        return new RadarRefresher(
                state, new Radar(new Git(), host, baseBranch, clock), new RadarCache(stateDir), interval, clock);
    }
}
