package dev.coord.engine.service;

import dev.coord.engine.ContentHasher;
import dev.coord.engine.CoordException;
import dev.coord.engine.Session;
import dev.coord.engine.model.EditClaimOutcome;
import dev.coord.engine.model.LockRecord;
import dev.coord.engine.path.LockKeys;
import dev.coord.engine.path.PathPolicy;
import dev.coord.engine.repo.RepoLayout;
import dev.coord.engine.store.CoordStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edit guard Claude Code's PreToolUse hook calls before an edit: it takes (or renews) this session's edit claim
 * on the file, or reports who else holds it; and after tool uses it ends the claims on files that were committed.
 *
 * <p>How a commit ends a claim: git's hooks would need a process per commit that knows which session edited what,
 * so instead the session checks its own claims. On each activity call it reads {@code HEAD} and the ref it points at
 * (two small files, no process); only when they changed since the last look does it run {@code git status} on the
 * files it claims, and every claimed file that is clean (committed, or back to its committed content) loses its
 * claim.
 */
public final class EditGuardService {
    private static final Logger LOG = LoggerFactory.getLogger(EditGuardService.class);
    private static final long GIT_TIMEOUT_S = 10;

    private final CoordStore store;
    private final Session session;
    private final PathPolicy paths;
    private final HookSettings settings;
    private final WaitWatch watch;
    private final RepoLayout layout;
    private volatile String lastHead;

    /**
     * @param layout the repository, for the commit check; a layout without git disables it
     */
    public EditGuardService(
            CoordStore store,
            Session session,
            PathPolicy paths,
            HookSettings settings,
            WaitWatch watch,
            RepoLayout layout) {
        this.store = Objects.requireNonNull(store, "store");
        this.session = Objects.requireNonNull(session, "session");
        this.paths = Objects.requireNonNull(paths, "paths");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.watch = Objects.requireNonNull(watch, "watch");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.lastHead = headSignature();
    }

    public HookSettings settings() {
        return settings;
    }

    /** Records a hook call that failed (the tool use went ahead) in the audit log, as {@code hook_error}. */
    public void recordFailure(String instanceId, Map<String, Object> details) {
        store.recordAudit(instanceId, "hook_error", details);
    }

    /** The lock key of a file the model is about to edit, as the path checks of every tool make it. */
    public String key(String rawPath) {
        String key = paths.toKey(rawPath);
        if (LockKeys.isDirectory(key)) {
            throw CoordException.invalidPath("an edit names a file, got the directory " + key);
        }
        return key;
    }

    /**
     * Claims the file for this session, renews its claim, or reports the other sessions holding it. Never takes or
     * breaks what another session holds.
     */
    public EditClaimOutcome claim(String key) {
        // the file is hashed only when a new claim is granted, not on every renewing edit
        EditClaimOutcome out = store.claimEditHashing(
                session.self(), key, () -> ContentHasher.hash(paths.resolve(key)), settings.editClaimIdle());
        if (out.status() == EditClaimOutcome.Status.HELD) {
            watch.wanted(List.of(key), store.now());
        } else {
            watch.got(List.of(key));
        }
        return out;
    }

    /**
     * Ends this session's claims on files committed since the last look. Cheap when nothing was committed: two small
     * file reads.
     *
     * @param mine this session's locks as last read
     * @return the keys whose claim ended
     */
    public List<String> endCommitted(List<LockRecord> mine) {
        String head = headSignature();
        if (head == null || head.equals(lastHead)) {
            return List.of();
        }
        List<String> claimed = new ArrayList<>();
        for (LockRecord l : mine) {
            if (l.auto()) {
                claimed.add(l.path());
            }
        }
        if (claimed.isEmpty()) {
            lastHead = head;
            return List.of();
        }
        Set<String> dirty = dirtyFiles(claimed);
        if (dirty == null) {
            return List.of(); // git failed: look again next time
        }
        lastHead = head;
        List<String> clean = new ArrayList<>();
        Map<String, String> hashes = new HashMap<>();
        for (String k : claimed) {
            if (!dirty.contains(k)) {
                clean.add(k);
                String h = ContentHasher.hash(paths.resolve(k));
                if (h != null) {
                    hashes.put(k, h);
                }
            }
        }
        if (clean.isEmpty()) {
            return List.of();
        }
        return store.endEditClaims(session.self(), clean, hashes, "committed");
    }

    /** HEAD and the ref it names, as text; null when not a git repository or unreadable. */
    String headSignature() {
        if (!layout.git()) {
            return null;
        }
        try {
            String head = Files.readString(layout.gitDir().resolve("HEAD"), StandardCharsets.UTF_8)
                    .strip();
            if (head.startsWith("ref:")) {
                String ref = head.substring(4).strip();
                Path loose = layout.gitCommonDir().resolve(ref).normalize();
                if (loose.startsWith(layout.gitCommonDir()) && Files.isRegularFile(loose)) {
                    return head + " "
                            + Files.readString(loose, StandardCharsets.UTF_8).strip();
                }
                Path packed = layout.gitCommonDir().resolve("packed-refs");
                return head + " packed@" + (Files.exists(packed) ? Files.getLastModifiedTime(packed) : "none");
            }
            return head;
        } catch (IOException e) {
            return null;
        }
    }

    /** The claimed files git reports as modified, staged or untracked; null when git could not tell. */
    private Set<String> dirtyFiles(List<String> claimed) {
        List<String> cmd = new ArrayList<>(
                List.of("git", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--"));
        cmd.addAll(claimed);
        try {
            Process p = new ProcessBuilder(cmd)
                    .directory(layout.root().toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                out = buf.toByteArray();
            }
            if (!p.waitFor(GIT_TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) {
                return null;
            }
            Set<String> dirty = new HashSet<>();
            for (String entry : new String(out, StandardCharsets.UTF_8).split("\0")) {
                if (entry.length() > 3) {
                    dirty.add(entry.substring(3));
                }
            }
            return dirty;
        } catch (IOException e) {
            LOG.debug("git status failed: {}", e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
