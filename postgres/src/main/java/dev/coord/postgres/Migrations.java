package dev.coord.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates and upgrades coord's schema: the scripts {@code migrations/V<n>__<name>.sql} next to this class, applied in
 * order, each once, recorded in {@code coord_schema_version}. All pending scripts run in one transaction under a
 * transaction-scoped advisory lock, so servers starting at once do not race, and a failed upgrade leaves nothing
 * behind.
 */
final class Migrations {
    /** Every migration, in order. A new one is appended here and never edited once released. */
    static final List<String> SCRIPTS = List.of("V1__init.sql", "V2__edit_claims.sql", "V3__messages.sql");

    /** Advisory lock key of schema changes ("coordsch" as bytes). */
    private static final long LOCK_KEY = 0x636f6f7264736368L;

    private Migrations() {}

    /** The latest schema version this build knows. */
    static int latest() {
        return SCRIPTS.size();
    }

    /**
     * Brings the schema to {@link #latest()}.
     *
     * @return the number of scripts applied
     * @throws SQLException on database errors; IllegalStateException when the database has a newer schema
     */
    static int apply(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                st.execute("CREATE TABLE IF NOT EXISTS coord_schema_version ("
                        + "version integer PRIMARY KEY, name text NOT NULL,"
                        + " applied_at timestamptz NOT NULL DEFAULT clock_timestamp())");
            }
            int current = 0;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM coord_schema_version")) {
                if (rs.next()) {
                    current = rs.getInt(1);
                }
            }
            if (current > latest()) {
                throw new IllegalStateException("the database has coord schema version " + current
                        + ", newer than this coord knows (" + latest() + "): upgrade coord");
            }
            int applied = 0;
            for (int v = current + 1; v <= latest(); v++) {
                String name = SCRIPTS.get(v - 1);
                try (Statement st = c.createStatement()) {
                    st.execute(read(name));
                }
                try (PreparedStatement ps =
                        c.prepareStatement("INSERT INTO coord_schema_version (version, name) VALUES (?, ?)")) {
                    ps.setInt(1, v);
                    ps.setString(2, name);
                    ps.executeUpdate();
                }
                applied++;
            }
            c.commit();
            return applied;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static String read(String name) {
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + name)) {
            if (in == null) {
                throw new IllegalStateException("migration " + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
