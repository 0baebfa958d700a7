package dev.coord.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coord.engine.EngineSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings documented in docs/configuration.md: defaults, units, blanks, and messages naming the variable. */
class ServerConfigTest {
    @Test
    void unsetAndBlankValuesAreTheDefaults() {
        ServerConfig none = ServerConfig.fromEnv(Map.of());
        // "${COORD_FSYNC:-}" in .mcp.json expands to an empty string: it must mean "not set", as for the others
        ServerConfig blank = ServerConfig.fromEnv(Map.of(
                "COORD_LOCK_TTL", "",
                "COORD_MAX_LOCK_TTL", " ",
                "COORD_HEARTBEAT_INTERVAL", "",
                "COORD_STALE_AFTER", "",
                "COORD_MAX_WAIT", "",
                "COORD_FSYNC", "",
                "COORD_ALLOW_NETWORK_FS", ""));

        for (ServerConfig c : new ServerConfig[] {none, blank}) {
            assertThat(c.engine()).isEqualTo(EngineSettings.defaults());
            assertThat(c.engine().defaultTtl()).isEqualTo(Duration.ofMinutes(30));
            assertThat(c.engine().maxTtl()).isEqualTo(Duration.ofHours(24));
            assertThat(c.engine().heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
            assertThat(c.engine().staleAfter()).isEqualTo(Duration.ofSeconds(30));
            assertThat(c.engine().maxWait()).isEqualTo(Duration.ofMinutes(5));
            assertThat(c.fsyncState()).isFalse();
            assertThat(c.allowNetworkFs()).isFalse();
        }
    }

    @Test
    void durationsTakeUnitsAndABareNumberIsSeconds() {
        ServerConfig c = ServerConfig.fromEnv(Map.of(
                "COORD_LOCK_TTL", "45m",
                "COORD_HEARTBEAT_INTERVAL", "500ms",
                "COORD_STALE_AFTER", "10",
                "COORD_MAX_LOCK_TTL", "2h",
                "COORD_FSYNC", " ALL ",
                "COORD_ALLOW_NETWORK_FS", "yes"));

        assertThat(c.engine().defaultTtl()).isEqualTo(Duration.ofMinutes(45));
        assertThat(c.engine().heartbeatInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.engine().staleAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.engine().maxTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(c.fsyncState()).isTrue();
        assertThat(c.allowNetworkFs()).isTrue();
    }

    @Test
    void aBadValueNamesItsVariable() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("COORD_LOCK_TTL", "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("COORD_LOCK_TTL");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("COORD_FSYNC", "sometimes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("COORD_FSYNC");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("COORD_ALLOW_NETWORK_FS", "maybe")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("COORD_ALLOW_NETWORK_FS");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("COORD_HEARTBEAT_INTERVAL", "20s")))
                .as("stale timeout below twice the heartbeat")
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("COORD_STALE_AFTER (30s) must be at least twice COORD_HEARTBEAT_INTERVAL (20s)");
    }

    @Test
    void aValueOutOfRangeNamesItsVariableToo() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("COORD_LOCK_TTL", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("COORD_LOCK_TTL must be between 10s and COORD_MAX_LOCK_TTL (86400s), got \"0\"");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("COORD_LOCK_TTL", "2h", "COORD_MAX_LOCK_TTL", "1h")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("COORD_LOCK_TTL must be between 10s and COORD_MAX_LOCK_TTL (3600s)");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("COORD_MAX_LOCK_TTL", "5s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("COORD_MAX_LOCK_TTL must be at least 10s");
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("COORD_HEARTBEAT_INTERVAL", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("COORD_HEARTBEAT_INTERVAL must be more than 0");
    }
}
