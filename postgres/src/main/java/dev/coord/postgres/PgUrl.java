package dev.coord.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A store URL, as given in {@code COORD_STORE_URL}: {@code jdbc:postgresql://host[:port]/db[?k=v&...]}, or
 * {@code postgres://[user[:password]@]host[:port]/db[?k=v&...]} ({@code postgresql://} too). Credentials come from the
 * URL, else from {@code PGUSER} / {@code PGPASSWORD}, else from a pgpass file (the driver reads it). The password never
 * appears in {@link #safe()}.
 *
 * @param jdbcUrl the JDBC URL without user and password
 * @param properties connection properties: user, password, timeouts, keepalive, application name
 * @param safe the URL for messages and logs, without password
 */
public record PgUrl(String jdbcUrl, Properties properties, String safe) {

    /** Seconds to connect, and to wait for an answer on a connection that may be dead. */
    static final int CONNECT_TIMEOUT_S = 5;

    static final int SOCKET_TIMEOUT_S = 30;

    /**
     * Parses a store URL.
     *
     * @throws IllegalArgumentException with a specific message when it is not a PostgreSQL URL
     */
    public static PgUrl parse(String url, Map<String, String> env) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("the store URL is empty");
        }
        String raw = url.strip();
        String lower = raw.toLowerCase(Locale.ROOT);
        String rest;
        if (lower.startsWith("jdbc:postgresql://")) {
            rest = raw.substring("jdbc:postgresql://".length());
        } else if (lower.startsWith("postgresql://")) {
            rest = raw.substring("postgresql://".length());
        } else if (lower.startsWith("postgres://")) {
            rest = raw.substring("postgres://".length());
        } else {
            throw new IllegalArgumentException("not a PostgreSQL URL: " + redact(raw)
                    + " (expected jdbc:postgresql://host:port/db or postgres://user@host:port/db)");
        }
        URI uri;
        try {
            uri = new URI("postgresql://" + rest);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed PostgreSQL URL " + redact(raw) + ": " + e.getReason());
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the PostgreSQL URL " + redact(raw) + " names no host");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String db = path.startsWith("/") ? path.substring(1) : path;
        if (db.isBlank() || db.contains("/")) {
            throw new IllegalArgumentException(
                    "the PostgreSQL URL " + redact(raw) + " names no database" + " (expected .../<database>)");
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = decode(eq < 0 ? pair : pair.substring(0, eq));
                String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
                query.put(k, v);
            }
        }
        String user = query.remove("user");
        String password = query.remove("password");
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            if (colon >= 0) {
                password = decode(info.substring(colon + 1));
            }
        }
        if (user == null || user.isBlank()) {
            user = env.get("PGUSER");
        }
        if (password == null) {
            password = env.get("PGPASSWORD");
        }
        Properties props = new Properties();
        if (user != null && !user.isBlank()) {
            props.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_S));
        props.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_S));
        props.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_S * 2));
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", "coord");
        // Explicit settings in the URL win over the defaults above.
        query.forEach(props::setProperty);
        String hostPort = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String jdbc = "jdbc:postgresql://" + hostPort + "/" + db;
        String safe = "postgresql://" + (user == null || user.isBlank() ? "" : user + "@") + hostPort + "/" + db;
        return new PgUrl(jdbc, props, safe);
    }

    /** Whether this text looks like a URL of this store. */
    public static boolean isPostgres(String url) {
        if (url == null) {
            return false;
        }
        String lower = url.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("jdbc:postgresql:")
                || lower.startsWith("postgres://")
                || lower.startsWith("postgresql://");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The URL with any password replaced, for error messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)(//[^/:@]*:)[^@/]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return safe;
    }
}
