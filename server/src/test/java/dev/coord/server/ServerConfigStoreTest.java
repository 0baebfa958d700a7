package dev.coord.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigStoreTest {
    @Test
    void theFileStoreIsTheDefault() {
        assertThat(ServerConfig.fromEnv(Map.of()).storeUrl()).isNull();
        assertThat(ServerConfig.fromEnv(Map.of("COORD_STORE_URL", "  ")).storeUrl())
                .isNull();
    }

    @Test
    void aPostgresUrlSelectsThePostgresStore() {
        assertThat(ServerConfig.fromEnv(Map.of("COORD_STORE_URL", " postgres://u@db/coord "))
                        .storeUrl())
                .isEqualTo("postgres://u@db/coord");
        assertThat(ServerConfig.fromEnv(Map.of("COORD_STORE_URL", "jdbc:postgresql://db:5432/coord"))
                        .storeUrl())
                .isEqualTo("jdbc:postgresql://db:5432/coord");
    }

    @Test
    void anotherUrlIsRefusedWithoutShowingItsPassword() {
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("COORD_STORE_URL", "mysql://root:hunter2@db/coord")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("COORD_STORE_URL must be a PostgreSQL URL")
                .hasMessageNotContaining("hunter2");
    }
}
