package dev.coord.postgres;

import dev.coord.engine.json.Json;
import dev.coord.engine.model.Decision;
import dev.coord.engine.model.DecisionDraft;
import dev.coord.engine.model.DecisionQuery;
import dev.coord.engine.model.Instance;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The decision log of one project in PostgreSQL ({@code coord_decision}, ids numbered per day in
 * {@code coord_decision_day}): each method runs on the connection of a transaction {@link PgStore} opened.
 */
final class PgDecisions {
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    private final String project;

    PgDecisions(String project) {
        this.project = project;
    }

    /** Numbers the decision ({@code DEC-<day>-<seq>}) and inserts it, inside the caller's transaction. */
    Decision append(Connection c, Instance caller, DecisionDraft draft, Instant now) throws SQLException {
        String day = DAY.format(now);
        int seq;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO coord_decision_day (project, day, last_seq)"
                + " VALUES (?, ?, 1) ON CONFLICT (project, day) DO UPDATE"
                + " SET last_seq = coord_decision_day.last_seq + 1 RETURNING last_seq")) {
            ps.setString(1, project);
            ps.setString(2, day);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getInt(1);
            }
        }
        Decision d = new Decision(
                String.format(Locale.ROOT, "DEC-%s-%04d", day, seq),
                draft.category(),
                draft.title(),
                draft.description(),
                draft.scope(),
                draft.tags(),
                caller.id(),
                caller.task(),
                now,
                draft.supersedes());
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO coord_decision"
                + " (project, id, category, created_at, supersedes, search_text, doc)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)")) {
            ps.setString(1, project);
            ps.setString(2, d.id());
            ps.setString(3, d.category());
            ps.setObject(4, RowTable.sqlValue(d.createdAt()));
            ps.setString(5, d.supersedes());
            ps.setString(6, searchText(d));
            ps.setString(7, Json.mapper().writeValueAsString(d));
            ps.executeUpdate();
        }
        return d;
    }

    /** What the text filter searches, lower-cased exactly as the file store does. */
    static String searchText(Decision d) {
        return (d.title() + "\n" + d.description() + "\n" + d.category() + "\n" + String.join(" ", d.tags()))
                .toLowerCase(Locale.ROOT);
    }

    /** Newest first. */
    List<Decision> query(Connection c, DecisionQuery query) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT doc::text FROM coord_decision WHERE project = ?");
        List<Object> args = new ArrayList<>();
        args.add(project);
        if (query.category() != null) {
            sql.append(" AND lower(category) = ?");
            args.add(query.category().toLowerCase(Locale.ROOT));
        }
        if (query.since() != null) {
            sql.append(" AND created_at >= ?");
            args.add(RowTable.sqlValue(query.since()));
        }
        if (query.text() != null && !query.text().isBlank()) {
            for (String w : query.text().toLowerCase(Locale.ROOT).trim().split("\\s+")) {
                sql.append(" AND search_text LIKE ? ESCAPE '\\'");
                args.add("%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            }
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(query.limit());
        List<Decision> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Json.mapper().readValue(rs.getString(1), Decision.class));
                }
            }
        }
        return out;
    }

    Optional<Decision> byId(Connection c, String id) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT doc::text FROM coord_decision WHERE project = ? AND id = ?")) {
            ps.setString(1, project);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(Json.mapper().readValue(rs.getString(1), Decision.class))
                        : Optional.<Decision>empty();
            }
        }
    }

    /** For each id, the decision that supersedes it (the latest, when several do). */
    Map<String, String> supersededBy(Connection c, Collection<String> ids) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT supersedes, id FROM coord_decision"
                + " WHERE project = ? AND supersedes = ANY (?) ORDER BY seq")) {
            ps.setString(1, project);
            Array array = c.createArrayOf("text", ids.toArray());
            ps.setArray(2, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }
}
