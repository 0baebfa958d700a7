package dev.coord.server.dashboard;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Who may talk to the dashboard: the holder of this run's random token, from a page of this very origin. Checks the
 * {@code Host} header (a DNS-rebinding page reaches 127.0.0.1 under a foreign name), the {@code Origin} header when a
 * browser sends one (a foreign page's request), and the token, carried once in the URL and then by an
 * {@code HttpOnly}, {@code SameSite=Strict} cookie; actions also need it in the {@code X-Coord-Token} header, which
 * only a page of this origin can read from the page it was served.
 */
final class AccessGuard {
    static final String HEADER = "X-Coord-Token";

    private final String token;
    private final byte[] tokenBytes;
    private final List<String> hosts;
    private final List<String> origins;
    private final String cookieName;

    AccessGuard(String token, int port) {
        this.token = token;
        this.tokenBytes = token.getBytes(StandardCharsets.US_ASCII);
        this.hosts = List.of("127.0.0.1:" + port, "localhost:" + port);
        this.origins = List.of("http://127.0.0.1:" + port, "http://localhost:" + port);
        // Cookies are per host, not per port: two dashboards on one machine keep theirs apart by name.
        this.cookieName = "coord_dashboard_" + port;
    }

    /** 32 random bytes, URL-safe. */
    static String newToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    String token() {
        return token;
    }

    /** Whether the request names this server as its host and, if it has an origin, comes from this origin. */
    boolean sameOrigin(Headers h) {
        String host = h.getFirst("Host");
        if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
            return false;
        }
        List<String> origin = h.get("Origin");
        if (origin != null) {
            if (origin.size() != 1 || !origins.contains(origin.get(0).toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the request carries the token in its cookie. */
    boolean hasCookie(Headers h) {
        List<String> cookies = h.get("Cookie");
        if (cookies == null) {
            return false;
        }
        for (String header : cookies) {
            for (String part : header.split(";")) {
                String p = part.trim();
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).equals(cookieName) && matches(p.substring(eq + 1))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the request carries the token in the action header. */
    boolean hasHeader(Headers h) {
        List<String> v = h.get(HEADER);
        return v != null && v.size() == 1 && matches(v.get(0));
    }

    /** Compares in constant time. */
    boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(candidate.getBytes(StandardCharsets.US_ASCII), tokenBytes);
    }

    /** The cookie that carries the token after the first visit. */
    String setCookie() {
        return cookieName + "=" + token + "; Path=/; HttpOnly; SameSite=Strict";
    }
}
