package dev.coord.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PgUrlTest {
    @Test
    void aJdbcUrlKeepsItsSettingsAndGetsTimeoutsAndKeepalive() {
        PgUrl u = PgUrl.parse("jdbc:postgresql://db.example:5433/coord?user=alice&sslmode=require", Map.of());
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/coord");
        assertThat(u.properties())
                .containsEntry("user", "alice")
                .containsEntry("sslmode", "require")
                .containsEntry("tcpKeepAlive", "true")
                .containsEntry("ApplicationName", "coord")
                .containsKeys("connectTimeout", "socketTimeout");
        assertThat(u.safe()).isEqualTo("postgresql://alice@db.example:5433/coord");
    }

    @Test
    void aPostgresUrlCarriesCredentialsThatNeverShow() {
        PgUrl u = PgUrl.parse("postgres://bob:s%40cret@db:5432/team", Map.of());
        assertThat(u.properties()).containsEntry("user", "bob").containsEntry("password", "s@cret");
        assertThat(u.safe()).isEqualTo("postgresql://bob@db:5432/team").doesNotContain("cret");
        assertThat(u.toString()).doesNotContain("cret");
        assertThat(PgUrl.parse("postgresql://db/team", Map.of()).jdbcUrl()).isEqualTo("jdbc:postgresql://db/team");
    }

    @Test
    void credentialsFallBackToTheEnvironment() {
        PgUrl u = PgUrl.parse("postgres://db/team", Map.of("PGUSER", "carol", "PGPASSWORD", "pw"));
        assertThat(u.properties()).containsEntry("user", "carol").containsEntry("password", "pw");
        PgUrl none = PgUrl.parse("postgres://db/team", Map.of());
        assertThat(none.properties()).doesNotContainKeys("user", "password");
    }

    @Test
    void badUrlsGetSpecificMessagesWithoutThePassword() {
        assertThatThrownBy(() -> PgUrl.parse("mysql://u:topsecret@h/db", Map.of()))
                .hasMessageContaining("not a PostgreSQL URL")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> PgUrl.parse("postgres://u:topsecret@h", Map.of()))
                .hasMessageContaining("names no database")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> PgUrl.parse("postgres:///db", Map.of())).hasMessageContaining("names no host");
        assertThatThrownBy(() -> PgUrl.parse(" ", Map.of())).hasMessageContaining("empty");
    }
}
