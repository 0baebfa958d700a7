package dev.coord.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.postgres.PostgresServer;
import dev.coord.server.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line on the PostgreSQL store: the same commands, and status names the store. */
class PostgresCliTest {
    @TempDir
    Path dir;

    CliFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new CliFixture(dir);
        Git.init(f.repo);
        Files.createDirectories(f.repo.resolve("src"));
        Files.writeString(f.repo.resolve("src/A.java"), "class A {}");
        f.env.put("COORD_STORE_URL", PostgresServer.shared().newDatabase("cli"));
        f.env.put("COORD_PROJECT", "it.example/cli");
    }

    @Test
    void decisionsStatusLocksAndCleanupWorkOnPostgres() {
        CliFixture.Result added = f.run(
                "decisions", "add", "--category", "api-design", "--title", "Use REST", "--description", "Because.");
        assertThat(added.code()).as(added.err()).isEqualTo(ExitCodes.SUCCESS);
        assertThat(added.out()).contains("DEC-");

        CliFixture.Result list = f.run("decisions", "list", "--text", "rest");
        assertThat(list.code()).isEqualTo(ExitCodes.SUCCESS);
        assertThat(list.out()).contains("Use REST");

        CliFixture.Result status = f.run("status", "--verbose");
        assertThat(status.code()).as(status.err()).isEqualTo(ExitCodes.SUCCESS);
        assertThat(status.out())
                .contains("store: postgresql://postgres@127.0.0.1:")
                .contains("project it.example/cli")
                .contains("Use REST");

        CliFixture.Result json = f.run("status", "--json");
        assertThat(json.out()).contains("\"store\" : \"postgresql://postgres@127.0.0.1:");

        CliFixture.Result check = f.run("locks", "check", "src/A.java");
        assertThat(check.code()).isEqualTo(ExitCodes.SUCCESS);
        assertThat(check.out()).contains("src/A.java: free");

        CliFixture.Result cleanup = f.run("cleanup");
        assertThat(cleanup.code()).as(cleanup.err()).isEqualTo(ExitCodes.SUCCESS);
        assertThat(cleanup.out()).contains("removed 0 dead instance(s), 0 lock(s)");
    }

    @Test
    void aBadStoreUrlIsAConfigurationError() {
        f.env.put("COORD_STORE_URL", "mysql://root:hunter2@db/x");
        CliFixture.Result r = f.run("status");
        assertThat(r.code()).isNotEqualTo(ExitCodes.SUCCESS);
        assertThat(r.err()).contains("COORD_STORE_URL must be a PostgreSQL URL").doesNotContain("hunter2");
    }
}
