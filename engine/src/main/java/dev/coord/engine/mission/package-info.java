/**
 * Mission files: the format (reading a mission's markdown file and editing it without disturbing the rest), the
 * folders ({@link dev.coord.engine.mission.MissionBoard}, {@link dev.coord.engine.mission.MissionPaths}), and bringing
 * the files in line with the store's records ({@link dev.coord.engine.mission.MissionSettler}, with the file
 * operations of {@link dev.coord.engine.io.AtomicFiles}). Depends on the engine's root package, {@code io}, {@code model}
 * and the store contract; the mission services in {@code service} use it.
 *
 * <p>Mission files are the user's. {@link dev.coord.engine.mission.MissionDocument} keeps the exact bytes (UTF-8,
 * an optional byte order mark, {@code \n} or {@code \r\n} line endings, with or without a final newline) and every
 * edit changes only the value it sets and the lines it adds. New lines use the line ending most of the file uses.
 *
 * <h2>Metadata</h2>
 *
 * Either front matter ({@code ---} on the first line, closed by the next {@code ---} line) or the first
 * {@code ```yaml} / {@code ```yml} fenced block that comes before any {@code ## } heading, usually right after the
 * {@code # Title} line. A file without either has no metadata and is valid. Inside the block, a strict subset of
 * YAML: flat {@code key: value} lines whose values are plain scalars, {@code 'single'} or {@code "double"} quoted
 * strings, or flow lists ({@code []}, {@code [a, "b c"]}), all on one line; {@code #} comments and blank lines.
 * Other constructs attached to a key (nested maps, block lists, multi-line or block strings, flow maps, anchors,
 * tags) are kept as they are and reported only when the key is one coord reads. A line that belongs to no key, a
 * key indented less than the first one, or a key given twice is an error.
 *
 * <p>Keys coord reads: {@code mission_id} (default: the file name without {@code .md}), {@code status},
 * {@code assigned_to}, {@code created}, {@code priority} (an integer; lower is more important, {@code 1} before
 * {@code 2}; missing is the lowest priority), {@code depends_on} (a flow list of mission ids), {@code claimed_at}
 * (ISO-8601 date-time with offset), {@code claimed_by}, {@code completed_at}. Empty values, {@code ~} and
 * {@code null} count as missing. Other keys are kept.
 *
 * <h2>Body</h2>
 *
 * The title is the first {@code # } heading. Objectives are the {@code - [ ]} / {@code - [x]} items of the
 * {@code ## Objectives} section. The execution log is the {@code ## Execution Log} section with one
 * {@code ### YYYY-MM-DD} heading per day and one {@code - } item per entry; it ends before the next {@code ## }
 * heading, or before a {@code ---} line after its last {@code ###} heading (the footer of the mission template).
 * Headings, lists and {@code ---} lines inside fenced code blocks are ignored. Setext headings are not recognised.
 */
package dev.coord.engine.mission;
