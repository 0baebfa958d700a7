package dev.coord.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL for tests, started from the machine's binaries (Debian's {@code postgresql} package, or
 * {@code COORD_PG_BIN}), without Docker. One server per JVM ({@link #shared()}), in a fresh temp directory outside the
 * repository, on 127.0.0.1 and a free port, with trust authentication; removed at JVM exit.
 *
 * <p>PostgreSQL refuses to run as root: when the tests run as root (CI containers), the data directory is given to the
 * {@code postgres} user and every server command runs through {@code runuser -u postgres --}.
 *
 * <p>Missing binaries are an error with the way to fix it, never a skipped test.
 */
public final class PostgresServer {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer shared;

    private final Path bin;
    private final Path base;
    private final Path data;
    private final Path socketDir;
    private final Path logFile;
    private final boolean root;
    private final int port;
    private boolean running;

    private PostgresServer(Path bin) throws IOException, InterruptedException {
        this.bin = bin;
        this.root = "root".equals(System.getProperty("user.name"));
        this.base = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "coord-pg-");
        this.data = base.resolve("data");
        this.socketDir = base.resolve("sock");
        this.logFile = base.resolve("postgres.log");
        Files.createDirectories(socketDir);
        if (root) {
            run(List.of("chown", "-R", "postgres:", base.toString()), false);
        }
        run(
                List.of(
                        bin.resolve("initdb").toString(),
                        "-D",
                        data.toString(),
                        "-A",
                        "trust",
                        "-E",
                        "UTF8",
                        "--locale=C",
                        "-U",
                        "postgres",
                        "--no-sync"),
                true);
        this.port = freePort();
        start();
    }

    /** A server of its own (for tests that stop and restart it), stopped and removed at JVM exit. */
    public static PostgresServer startNew() {
        try {
            PostgresServer s = new PostgresServer(findBin());
            Runtime.getRuntime().addShutdownHook(new Thread(s::destroy, "coord-pg-teardown"));
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a test PostgreSQL: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting a test PostgreSQL", e);
        }
    }

    /** The server of this JVM, started on first use and stopped at exit. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            try {
                shared = new PostgresServer(findBin());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a test PostgreSQL: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting a test PostgreSQL", e);
            }
            PostgresServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::destroy, "coord-pg-teardown"));
        }
        return shared;
    }

    /** The directory of {@code initdb}, {@code pg_ctl} and {@code postgres}. */
    static Path findBin() {
        String override = System.getenv("COORD_PG_BIN");
        if (override == null || override.isBlank()) {
            override = System.getProperty("coord.pg.bin");
        }
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (!Files.isExecutable(p.resolve("postgres")) || !Files.isExecutable(p.resolve("initdb"))) {
                throw new IllegalStateException("COORD_PG_BIN=" + override + " has no executable postgres and initdb");
            }
            return p;
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                var found = versions.map(v -> v.resolve("bin"))
                        .filter(b ->
                                Files.isExecutable(b.resolve("postgres")) && Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparingInt(PostgresServer::majorVersion));
                if (found.isPresent()) {
                    return found.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no PostgreSQL server binaries found: the PostgreSQL store tests need a real"
                + " PostgreSQL. Install it (Debian/Ubuntu: apt-get install -y --no-install-recommends postgresql;"
                + " .ci/run does this) or point COORD_PG_BIN at the directory holding initdb, pg_ctl and postgres.");
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public int port() {
        return port;
    }

    /** A new, empty database; its JDBC URL (user {@code postgres}, no password). */
    public String newDatabase(String hint) {
        String name =
                ("t_" + hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_" + DATABASES.incrementAndGet());
        if (name.length() > 60) {
            name = name.substring(name.length() - 60);
            name = "t" + name.substring(1);
        }
        try (Connection c = DriverManager.getConnection(url("postgres"));
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    /** The JDBC URL of a database of this server. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    /** Stops the server at once, as a crash would ({@code pg_ctl stop -m immediate}). */
    public synchronized void crash() {
        pgCtl("stop", "-m", "immediate");
        running = false;
    }

    /** Starts the server again on the same port and data. */
    public synchronized void start() {
        pgCtl(
                "start",
                "-l",
                logFile.toString(),
                "-o",
                "-p " + port + " -k " + socketDir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + " -c full_page_writes=off -c max_connections=200");
        running = true;
    }

    public synchronized boolean running() {
        return running;
    }

    /** Runs SQL as the superuser on one database (e.g. {@code pg_terminate_backend}). */
    public void sql(String database, String sql) {
        try (Connection c = DriverManager.getConnection(url(database));
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private void pgCtl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w"));
        cmd.addAll(List.of(args));
        try {
            run(cmd, true);
        } catch (IOException e) {
            throw new UncheckedIOException("pg_ctl " + args[0] + " failed: " + e.getMessage() + "\n" + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: pg_ctl " + args[0], e);
        }
    }

    private void destroy() {
        try {
            if (running) {
                pgCtl("stop", "-m", "immediate");
            }
        } catch (RuntimeException e) {
            System.err.println("stopping the test PostgreSQL: " + e.getMessage());
        }
        try (Stream<Path> walk = Files.walk(base)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("removing " + base + ": " + e.getMessage());
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no server log)";
        }
    }

    private void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asPostgres && root) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Path out = Files.createTempFile("coord-pg-cmd", ".log");
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish within 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " exited with " + p.exitValue() + ":\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
