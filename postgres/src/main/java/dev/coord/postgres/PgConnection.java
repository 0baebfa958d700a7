package dev.coord.postgres;

import dev.coord.engine.CoordException;
import dev.coord.engine.ErrorCode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection of one {@link PgStore} and its transactions: one connection, callers serialized on it; a connection
 * error closes it and fails the call with {@link ErrorCode#STORE_UNAVAILABLE}; the next call reconnects (with back-off
 * after repeated failures); serialization failures and deadlocks are retried; a transaction whose connection died
 * before it committed is run once more on a new connection.
 */
final class PgConnection {
    private static final Logger LOG = LoggerFactory.getLogger(PgConnection.class);
    private static final int RETRIES = 5;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private final PgUrl url;
    private final ReentrantLock connectionLock = new ReentrantLock(true);
    private Connection connection;
    private Instant nextConnectAttempt = Instant.MIN;
    private Duration backoff = Duration.ZERO;
    private String lastFailure;
    private volatile boolean closed;
    /** Whether {@link #open} finished: before, a failure means coord cannot start, not a passing outage. */
    private volatile boolean opened;

    PgConnection(PgUrl url) {
        this.url = url;
    }

    /** Work on the connection inside a transaction. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** A SQL failure inside a rule callback (the token supplier), carried out of it. */
    static final class SqlFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SqlFailure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    /**
     * Connects and runs {@code setUp} (schema migrations, the project's row), which commits its own work.
     *
     * @throws CoordException STORE_UNAVAILABLE when the database cannot be reached or its schema is newer
     */
    void open(SqlWork<Void> setUp) {
        connectionLock.lock();
        try {
            Connection c = connection();
            try {
                setUp.run(c);
            } catch (SQLException e) {
                rollbackQuietly();
                dropConnection(e);
                throw unavailable(e);
            } catch (IllegalStateException e) {
                dropConnection(e);
                throw new CoordException(ErrorCode.STORE_UNAVAILABLE, "postgres store " + url + ": " + e.getMessage());
            }
        } finally {
            connectionLock.unlock();
        }
        opened = true;
    }

    /** Closes the connection; every later call fails. */
    void close() {
        connectionLock.lock();
        try {
            closed = true;
            closeConnection();
        } finally {
            connectionLock.unlock();
        }
    }

    /**
     * Runs {@code work} in one transaction on this store's connection: commits on success, rolls back on any failure.
     * Serialization failures and deadlocks are retried; connection failures close the connection and fail the call.
     */
    <T> T tx(boolean writes, SqlWork<T> work) {
        if (closed) {
            throw new CoordException(ErrorCode.STORE_UNAVAILABLE, "postgres store " + url + " is closed");
        }
        connectionLock.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                Connection c = connection();
                boolean committing = false;
                try {
                    T result = work.run(c);
                    committing = true;
                    if (writes) {
                        c.commit();
                    } else {
                        c.rollback();
                    }
                    return result;
                } catch (SqlFailure | SQLException e) {
                    SQLException se = e instanceof SqlFailure f ? f.getCause() : (SQLException) e;
                    rollbackQuietly();
                    if (!committing && attempt == 1 && isConnectionFailure(se)) {
                        // Nothing was committed: the connection had died (database restarted, backend terminated,
                        // idle connection cut). Reconnect once and run the transaction again.
                        dropConnection(se);
                        nextConnectAttempt = Instant.MIN;
                        continue;
                    }
                    if (committing && writes && isConnectionFailure(se)) {
                        dropConnection(se);
                        throw new CoordException(
                                ErrorCode.STORE_UNAVAILABLE,
                                "postgres store " + url + " unavailable: the connection broke while committing ("
                                        + firstLine(se.getMessage()) + "): the change was applied whole or not at"
                                        + " all; check with status before repeating it",
                                se);
                    }
                    if (!retry(se, attempt)) {
                        throw failure(se);
                    }
                } catch (RuntimeException | Error e) {
                    rollbackQuietly();
                    throw e;
                }
            }
        } finally {
            connectionLock.unlock();
        }
    }

    private boolean retry(SQLException e, int attempt) {
        String state = e.getSQLState();
        boolean transientConflict = "40001".equals(state) || "40P01".equals(state);
        if (transientConflict && attempt < RETRIES) {
            LOG.debug("{}: retrying after {} ({})", url, state, e.getMessage());
            return true;
        }
        return false;
    }

    private CoordException failure(SQLException e) {
        if (isConnectionFailure(e)) {
            dropConnection(e);
            return unavailable(e);
        }
        return new CoordException(
                ErrorCode.STORE_UNAVAILABLE, "postgres store " + url + " failed: " + e.getMessage(), e);
    }

    static boolean isConnectionFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException se) {
                String state = se.getSQLState();
                if (state != null
                        && (state.startsWith("08")
                                || state.startsWith("57P")
                                || state.equals("53300")
                                || state.equals("XX000") && se.getMessage().contains("I/O"))) {
                    return true;
                }
                if (se instanceof SQLTransientConnectionException) {
                    return true;
                }
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private CoordException unavailable(SQLException e) {
        return new CoordException(
                ErrorCode.STORE_UNAVAILABLE,
                "postgres store " + url + " unavailable: " + firstLine(e.getMessage())
                        + (opened
                                ? " (nothing was changed; coord reconnects on the next call)"
                                : " (check COORD_STORE_URL, the network, the credentials and that the database is up)"),
                e);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The open connection, connecting if needed. Caller holds {@code connectionLock}. */
    private Connection connection() {
        if (connection != null) {
            return connection;
        }
        Instant now = Instant.now();
        if (now.isBefore(nextConnectAttempt)) {
            throw new CoordException(
                    ErrorCode.STORE_UNAVAILABLE,
                    "postgres store " + url + " unavailable: " + lastFailure + " (next reconnect attempt in "
                            + Math.max(
                                    1, Duration.between(now, nextConnectAttempt).toMillis()) + " ms)");
        }
        try {
            Connection c = DriverManager.getConnection(url.jdbcUrl(), url.properties());
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                // A statement or lock wait longer than this is a sick database: fail the call rather than hang.
                st.execute("SET statement_timeout = '20s'");
                st.execute("SET idle_in_transaction_session_timeout = '60s'");
            }
            c.commit();
            if (lastFailure != null) {
                LOG.info("{}: reconnected", url);
            }
            connection = c;
            backoff = Duration.ZERO;
            lastFailure = null;
            return c;
        } catch (SQLException e) {
            lastFailure = firstLine(e.getMessage());
            backoff = backoff.isZero() ? FIRST_BACKOFF : backoff.multipliedBy(2);
            if (backoff.compareTo(MAX_BACKOFF) > 0) {
                backoff = MAX_BACKOFF;
            }
            nextConnectAttempt = Instant.now().plus(backoff);
            LOG.warn("{}: cannot connect: {}", url, lastFailure);
            throw unavailable(e);
        }
    }

    private void dropConnection(Exception cause) {
        if (connection != null) {
            LOG.warn("{}: connection lost: {}", url, firstLine(cause.getMessage()));
            lastFailure = firstLine(cause.getMessage());
        }
        closeConnection();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("{}: closing: {}", url, e.toString());
            }
            connection = null;
        }
    }

    private void rollbackQuietly() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("{}: rollback: {}", url, e.toString());
            if (isConnectionFailure(e)) {
                dropConnection(e);
            }
        }
    }
}
