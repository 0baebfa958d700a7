package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.postgres.PostgresServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code coord.jar} on PostgreSQL while the database crashes ({@code pg_ctl stop -m immediate}) and comes back:
 * the tools answer with a clear error naming the store, the server keeps serving, and it recovers by itself.
 */
class PostgresFaultIT {
    @TempDir
    Path repo;

    private static String text(CallToolResult r) {
        return r.content().stream()
                .filter(c -> c instanceof McpSchema.TextContent)
                .map(c -> ((McpSchema.TextContent) c).text())
                .reduce("", String::concat);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theServerReportsAnOutageKeepsServingAndRecovers() throws Exception {
        PostgresServer pg = PostgresServer.startNew();
        String url = pg.newDatabase("faultit");
        try (CoordProcess p = new CoordProcess(
                repo, Map.of("COORD_STORE_URL", url, "COORD_PROJECT", "it.example/fault", "COORD_HOST_ID", "h1"))) {
            Map<String, Object> held = p.ok("acquire_lock", Map.of("paths", List.of("src/A.java")));
            assertThat(held).containsEntry("acquired", true);
            long token = ((Number) ((List<Map<String, Object>>) held.get("locks"))
                            .get(0)
                            .get("token"))
                    .longValue();

            pg.crash();
            CallToolResult during = p.call("acquire_lock", Map.of("paths", List.of("src/B.java")));
            System.out.println("acquire_lock during the outage: " + text(during));
            assertThat(during.isError()).isTrue();
            assertThat(text(during)).contains("STORE_UNAVAILABLE").contains("postgres store postgresql://");
            CallToolResult status = p.call("status", Map.of());
            System.out.println("status during the outage: " + text(status));
            assertThat(status.isError()).isTrue();

            pg.start();
            Instant giveUp = Instant.now().plusSeconds(60);
            CallToolResult after;
            int failedAfterRestart = 0;
            while (true) {
                after = p.call("acquire_lock", Map.of("paths", List.of("src/B.java")));
                if (!Boolean.TRUE.equals(after.isError()) || Instant.now().isAfter(giveUp)) {
                    break;
                }
                failedAfterRestart++;
                Thread.sleep(200);
            }
            System.out.println("acquire_lock calls failed after the restart: " + failedAfterRestart);
            assertThat(after.isError()).isNotEqualTo(Boolean.TRUE);
            Map<String, Object> mine =
                    (Map<String, Object>) p.ok("status", Map.of()).get("you");
            assertThat((List<Map<String, Object>>) mine.get("locks"))
                    .extracting(l -> l.get("path"))
                    .containsExactlyInAnyOrder("src/A.java", "src/B.java");
            // the lock survived with its token: locking it again renews it and keeps the token
            List<Map<String, Object>> renewed = (List<Map<String, Object>>)
                    p.ok("acquire_lock", Map.of("paths", List.of("src/A.java"))).get("locks");
            assertThat(renewed).singleElement().satisfies(l -> assertThat(((Number) l.get("token")).longValue())
                    .isEqualTo(token));
        } finally {
            if (!pg.running()) {
                pg.start();
            }
        }
    }
}
