package dev.coord.engine.rules;

import dev.coord.engine.model.ReleaseMark;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The release marks one transaction sees: what each path looked like when its last holder released it. The rules only
 * look up, remove and replace the mark of one path at a time, so a store can keep them apart from the lock table
 * (e.g. in a log read incrementally, or a database table) instead of loading every mark on every transaction. A store
 * keeps at most {@link LockRules#RELEASE_MARK_MAX} marks, dropping the least recently released first.
 */
public interface ReleaseMarks {
    /** Removes and returns the mark of {@code path}, or null if there is none. */
    ReleaseMark remove(String path);

    /** Records {@code mark} as the newest mark, replacing any earlier mark of its path. */
    void put(ReleaseMark mark);

    /** Marks held in memory: the default of {@link State}, for stores that load and save them with the state. */
    final class InMemory implements ReleaseMarks {
        private final LinkedHashMap<String, ReleaseMark> marks = new LinkedHashMap<>();
        private boolean changed;

        public InMemory() {}

        /** Starts from {@code marks}, oldest first. */
        public InMemory(List<ReleaseMark> marks) {
            marks.forEach(m -> this.marks.put(m.path(), m));
        }

        @Override
        public ReleaseMark remove(String path) {
            ReleaseMark m = marks.remove(path);
            changed |= m != null;
            return m;
        }

        @Override
        public void put(ReleaseMark mark) {
            marks.remove(mark.path());
            marks.put(mark.path(), mark);
            while (marks.size() > LockRules.RELEASE_MARK_MAX) {
                Iterator<String> oldest = marks.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            changed = true;
        }

        /** Every mark, oldest first. */
        public List<ReleaseMark> all() {
            return new ArrayList<>(marks.values());
        }

        /** True if a mark was removed or put since this object was made. */
        public boolean changed() {
            return changed;
        }
    }
}
