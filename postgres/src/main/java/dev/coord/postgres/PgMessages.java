package dev.coord.postgres;

import dev.coord.engine.json.Json;
import dev.coord.engine.model.Message;
import dev.coord.engine.store.MessageBox;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The PostgreSQL store's messages ({@code coord_message}, append-only) and read marks ({@code coord_message_read}), on
 * the connection of one transaction. A database error surfaces as {@link Failed}, which {@link PgStore} turns back
 * into the {@link SQLException} its transaction handling retries or reports.
 */
final class PgMessages implements MessageBox {
    /** A database error inside a {@link MessageBox} call, which cannot throw a checked exception. */
    static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    private static final String COLUMNS = "SELECT doc::text FROM coord_message WHERE project = ?";

    private final Connection c;
    private final String project;

    PgMessages(Connection c, String project) {
        this.c = c;
        this.project = project;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<Message> query(String where, Binder binder) {
        try (PreparedStatement ps = c.prepareStatement(COLUMNS + where)) {
            ps.setString(1, project);
            binder.bind(ps);
            List<Message> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Json.mapper().readValue(rs.getString(1), Message.class));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new Failed(e);
        }
    }

    @Override
    public boolean exists(String id) {
        return byId(id).isPresent();
    }

    @Override
    public Optional<Message> byId(String id) {
        return query(" AND id = ?", ps -> ps.setString(2, id)).stream().findFirst();
    }

    @Override
    public void append(Message m) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO coord_message"
                + " (project, id, at, kind, thread, recipients, doc) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
            ps.setString(1, project);
            ps.setString(2, m.id());
            ps.setObject(3, RowTable.sqlValue(m.at()));
            ps.setString(4, m.kind().wireName());
            ps.setString(5, m.thread());
            Array to = c.createArrayOf("text", m.recipients().toArray());
            ps.setArray(6, to);
            ps.setString(7, Json.mapper().writeValueAsString(m));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new Failed(e);
        }
    }

    @Override
    public List<Message> deliveredTo(String recipient) {
        return query(" AND recipients @> ARRAY[?]::text[] ORDER BY seq", ps -> ps.setString(2, recipient));
    }

    @Override
    public List<Message> thread(String threadId) {
        return query(" AND thread = ? ORDER BY seq", ps -> ps.setString(2, threadId));
    }

    @Override
    public List<Message> newest(int limit) {
        List<Message> out = new ArrayList<>(query(" ORDER BY seq DESC LIMIT ?", ps -> ps.setInt(2, limit)));
        java.util.Collections.reverse(out);
        return out;
    }

    @Override
    public List<Message> since(Message.Kind kind, Instant after) {
        return query(" AND kind = ? AND at >= ? ORDER BY seq", ps -> {
            ps.setString(2, kind.wireName());
            ps.setObject(3, RowTable.sqlValue(after));
        });
    }

    @Override
    public Set<String> readBy(String recipient) {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT message_id FROM coord_message_read WHERE project = ? AND recipient = ?")) {
            ps.setString(1, project);
            ps.setString(2, recipient);
            Set<String> out = new LinkedHashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new Failed(e);
        }
    }

    @Override
    public void markRead(String recipient, Collection<String> ids) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO coord_message_read (project, recipient, message_id)"
                + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (String id : ids) {
                ps.setString(1, project);
                ps.setString(2, recipient);
                ps.setString(3, id);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new Failed(e);
        }
    }

    @Override
    public int prune(Instant before, int keepAtMost) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM coord_message WHERE project = ? AND (at < ?"
                + " OR seq <= (SELECT seq FROM coord_message WHERE project = ? ORDER BY seq DESC OFFSET ? LIMIT 1))")) {
            ps.setString(1, project);
            ps.setObject(2, RowTable.sqlValue(before));
            ps.setString(3, project);
            ps.setInt(4, keepAtMost);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new Failed(e);
        }
    }

    @Override
    public Kept kept() {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT count(*), min(at) FROM coord_message WHERE project = ?")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                OffsetDateTime oldest = rs.getObject(2, OffsetDateTime.class);
                return new Kept(rs.getInt(1), oldest == null ? null : oldest.toInstant());
            }
        } catch (SQLException e) {
            throw new Failed(e);
        }
    }
}
