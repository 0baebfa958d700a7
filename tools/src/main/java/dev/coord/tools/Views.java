package dev.coord.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.coord.engine.model.Conflict;
import dev.coord.engine.model.Grant;
import dev.coord.engine.model.HolderRef;
import dev.coord.engine.model.LockMode;
import dev.coord.engine.model.Notice;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The compact shapes tools return; every field left out when it carries nothing. */
final class Views {
    private Views() {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record GrantView(
            String path,
            LockMode mode,
            long token,
            Instant expiresAt,
            Boolean renewed,
            Boolean changedSinceRelease,
            String lastReleasedBy) {
        static GrantView of(Grant g) {
            return new GrantView(
                    g.path(),
                    g.mode(),
                    g.token(),
                    seconds(g.expiresAt()),
                    g.renewed() ? Boolean.TRUE : null,
                    g.changedSinceRelease() ? Boolean.TRUE : null,
                    g.lastReleasedBy());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ConflictView(
            String path,
            String heldPath,
            HolderRef heldBy,
            LockMode mode,
            Long token,
            Instant since,
            Instant expiresAt,
            Boolean waiting) {
        static ConflictView of(Conflict c) {
            return new ConflictView(
                    c.path(),
                    c.heldPath().equals(c.path()) ? null : c.heldPath(),
                    c.heldBy(),
                    c.mode(),
                    c.token() == 0 ? null : c.token(),
                    seconds(c.since()),
                    seconds(c.expiresAt()),
                    c.waiting() ? Boolean.TRUE : null);
        }
    }

    /** A time as the model sees it: to the second (state keeps the full precision). */
    static Instant seconds(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS);
    }

    /** Notice messages, or null when there are none (so the field is left out). */
    static List<String> notices(List<Notice> notices) {
        if (notices.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>(notices.size());
        notices.forEach(n -> out.add(Notices.message(n)));
        return out;
    }
}
