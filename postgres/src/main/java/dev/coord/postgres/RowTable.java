package dev.coord.postgres;

import dev.coord.engine.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import tools.jackson.databind.JavaType;

/**
 * One table of per-project rows, each holding one engine record as JSON ({@code doc}) plus columns for queries. Loads
 * the rows of a project in order, and writes back only the difference between what it loaded and what the rules left:
 * deletes for rows gone, upserts for rows new or changed (by record equality, or a new position).
 *
 * @param <V> the engine record
 */
final class RowTable<V> {
    /** A column derived from the record, next to {@code doc}. */
    record Column<V>(String name, String cast, Function<V, Object> value) {}

    private final String table;
    private final String keyColumn;
    private final boolean numericKey;
    private final JavaType type;
    private final Function<V, Object> key;
    private final List<Column<V>> columns;
    private final String upsertSql;
    private final String deleteSql;
    private final String selectSql;

    RowTable(
            String table,
            String keyColumn,
            boolean numericKey,
            JavaType type,
            Function<V, Object> key,
            List<Column<V>> columns) {
        this.table = table;
        this.keyColumn = keyColumn;
        this.numericKey = numericKey;
        this.type = type;
        this.key = key;
        this.columns = List.copyOf(columns);
        StringBuilder cols = new StringBuilder("project, " + keyColumn + ", ord, doc");
        StringBuilder vals = new StringBuilder("?, ?, ?, ?::jsonb");
        StringBuilder set = new StringBuilder("ord = excluded.ord, doc = excluded.doc");
        for (Column<V> c : columns) {
            cols.append(", ").append(c.name());
            vals.append(", ?").append(c.cast() == null ? "" : "::" + c.cast());
            set.append(", ").append(c.name()).append(" = excluded.").append(c.name());
        }
        this.upsertSql = "INSERT INTO " + table + " (" + cols + ") VALUES (" + vals + ") ON CONFLICT (project, "
                + keyColumn + ") DO UPDATE SET " + set;
        this.deleteSql = "DELETE FROM " + table + " WHERE project = ? AND " + keyColumn + " = ?";
        this.selectSql = "SELECT " + keyColumn + ", ord, doc::text FROM " + table + " WHERE project = ? ORDER BY ord";
    }

    static <V> RowTable<V> of(String table, String keyColumn, Class<V> type, Function<V, Object> key) {
        return new RowTable<>(table, keyColumn, false, Json.mapper().constructType(type), key, List.of());
    }

    /** A table whose key column is a {@code bigint}. */
    static <V> RowTable<V> numeric(String table, String keyColumn, Class<V> type, Function<V, Object> key) {
        return new RowTable<>(table, keyColumn, true, Json.mapper().constructType(type), key, List.of());
    }

    RowTable<V> with(String column, String cast, Function<V, Object> value) {
        List<Column<V>> more = new ArrayList<>(columns);
        more.add(new Column<>(column, cast, value));
        return new RowTable<>(table, keyColumn, numericKey, type, key, more);
    }

    /** The rows of a project as loaded: records by key in stored order, and their stored positions. */
    static final class Rows<V> {
        final Map<Object, V> values = new LinkedHashMap<>();
        final Map<Object, Long> ords = new HashMap<>();

        List<V> list() {
            return new ArrayList<>(values.values());
        }
    }

    /**
     * One part of a {@code UNION ALL} that loads several tables in one round trip: {@code tag, key as text, ord, doc}
     * with the project as parameter {@code $n}.
     */
    String unionPart(int tag) {
        return "SELECT " + tag + " AS tag, " + keyColumn + "::text AS k, ord, doc::text FROM " + table
                + " WHERE project = ?";
    }

    /** Adds one row read by {@link #unionPart}; {@code numericKey} tables get their key back as a number. */
    void accept(Rows<V> rows, String keyText, long ord, String doc) {
        Object k = numericKey ? (Object) Long.valueOf(keyText) : keyText;
        rows.values.put(k, Json.mapper().readValue(doc, type));
        rows.ords.put(k, ord);
    }

    Rows<V> load(Connection c, String project) throws SQLException {
        Rows<V> out = new Rows<>();
        try (PreparedStatement ps = c.prepareStatement(selectSql)) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object k = rs.getObject(1);
                    out.values.put(k, Json.mapper().readValue(rs.getString(3), type));
                    out.ords.put(k, rs.getLong(2));
                }
            }
        }
        return out;
    }

    /**
     * Writes the difference between {@code before} (as loaded) and {@code after} (in order): deletes rows gone,
     * upserts rows new or changed. A kept row keeps its stored position while the order allows it, so appending,
     * removing or moving one record writes one row, not all that follow.
     *
     * @return the number of rows written or deleted
     */
    int save(Connection c, String project, Rows<V> before, List<V> after) throws SQLException {
        Map<Object, V> afterByKey = new LinkedHashMap<>();
        for (V v : after) {
            afterByKey.put(key.apply(v), v);
        }
        int deletes = 0;
        try (PreparedStatement del = c.prepareStatement(deleteSql)) {
            for (Object k : before.values.keySet()) {
                if (!afterByKey.containsKey(k)) {
                    del.setString(1, project);
                    del.setObject(2, k);
                    del.addBatch();
                    deletes++;
                }
            }
            if (deletes > 0) {
                del.executeBatch();
            }
        }
        int upserts = 0;
        long last = Long.MIN_VALUE;
        try (PreparedStatement up = c.prepareStatement(upsertSql)) {
            for (Map.Entry<Object, V> e : afterByKey.entrySet()) {
                Object k = e.getKey();
                Long stored = before.ords.get(k);
                long ord;
                if (stored != null && stored > last) {
                    ord = stored;
                    if (Objects.equals(before.values.get(k), e.getValue())) {
                        last = ord;
                        continue;
                    }
                } else {
                    ord = last == Long.MIN_VALUE ? 0 : last + 1;
                }
                last = ord;
                int p = 1;
                up.setString(p++, project);
                up.setObject(p++, k);
                up.setLong(p++, ord);
                up.setString(p++, Json.mapper().writeValueAsString(e.getValue()));
                for (Column<V> col : columns) {
                    up.setObject(p++, sqlValue(col.value().apply(e.getValue())));
                }
                up.addBatch();
                upserts++;
            }
            if (upserts > 0) {
                up.executeBatch();
            }
        }
        return deletes + upserts;
    }

    static Object sqlValue(Object v) {
        if (v instanceof Instant t) {
            return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
        }
        return v;
    }
}
