package dev.coord.engine.mission;

import dev.coord.engine.mission.MetadataParser.Entry;
import dev.coord.engine.mission.MetadataParser.QuoteStyle;
import dev.coord.engine.mission.TextLines.Line;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One mission file, parsed, immutable. The file belongs to the user: {@link #toBytes()} gives back exactly the
 * bytes it was parsed from (byte order mark, line endings and a missing final newline included), and every
 * {@code with...} method returns a new document whose bytes differ only by the value it changes and the lines it
 * adds.
 *
 * <p>See the package documentation for the format.
 */
public final class MissionDocument {

    /** How {@link #withField(String, String, Quoting)} writes a scalar. */
    public enum Quoting {
        /**
         * Keep the quotes the value had (double or single); otherwise write it plain when YAML reads the plain
         * text back unchanged, double-quoted when not.
         */
        AUTO,
        /** Always double quotes (or single quotes when the old value had them), e.g. for free-text descriptions. */
        ALWAYS
    }

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private final Path file;
    private final byte[] bytes;
    private final boolean bom;
    private final List<Line> lines;
    private final MetadataBlock block;
    private final String blockIndentation;
    private final List<Entry> entries;
    private final Map<String, Entry> entriesByKey;
    private final Markdown markdown;

    private final String missionId;
    private final String status;
    private final String assignedTo;
    private final String created;
    private final int priority;
    private final List<String> dependsOn;
    private final OffsetDateTime claimedAt;
    private final String claimedBy;
    private final String completedAt;
    private final String title;
    private final List<Objective> objectives;

    private MissionDocument(Path file, byte[] bytes) {
        this.file = file;
        this.bytes = bytes;
        this.bom = MissionBytes.startsWithBom(bytes);
        this.lines = List.copyOf(TextLines.split(MissionBytes.decode(file, bytes, bom)));

        MetadataLocator.Located located = MetadataLocator.locate(file, lines);
        this.block = located == null ? null : located.block();
        this.blockIndentation = located == null ? "" : located.indentation();
        this.entries = block == null
                ? List.of()
                : List.copyOf(MetadataParser.parse(file, lines, block.openingLine(), block.closingLine() - 1));
        Map<String, Entry> byKey = new LinkedHashMap<>();
        for (Entry entry : entries) {
            byKey.put(entry.key(), entry);
        }
        this.entriesByKey = byKey;
        this.markdown = block == null
                ? Markdown.scan(lines, -1, -1)
                : Markdown.scan(lines, block.openingLine() - 1, block.closingLine() - 1);

        MissionReader reader = new MissionReader(file, entriesByKey, lines, markdown);
        this.missionId = reader.text(MissionFormat.MISSION_ID).orElse(MissionFormat.missionIdFromFileName(file));
        this.status = reader.text(MissionFormat.STATUS).orElse(null);
        this.assignedTo = reader.text(MissionFormat.ASSIGNED_TO).orElse(null);
        this.created = reader.text(MissionFormat.CREATED).orElse(null);
        this.priority = reader.priority();
        this.dependsOn = reader.dependsOn();
        this.claimedAt = reader.claimedAt();
        this.claimedBy = reader.text(MissionFormat.CLAIMED_BY).orElse(null);
        this.completedAt = reader.text(MissionFormat.COMPLETED_AT).orElse(null);
        this.title = reader.title(missionId);
        this.objectives = reader.objectives();
    }

    /**
     * Parses a mission file's bytes.
     *
     * @param file the file's path, for messages and for the default mission id; it is not read
     * @throws MissionFormatException when the bytes are not UTF-8, the metadata block does not close or is not
     *     flat {@code key: value} lines, a key is given twice, or one of coord's fields has a bad value
     */
    public static MissionDocument parse(Path file, byte[] bytes) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(bytes, "bytes");
        return new MissionDocument(file, bytes.clone());
    }

    /** Reads and parses a mission file. */
    public static MissionDocument read(Path file) throws IOException {
        return parse(file, Files.readAllBytes(file));
    }

    /** The path given to {@link #parse}. */
    public Path file() {
        return file;
    }

    /** The exact bytes of the document. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The document's text, without the byte order mark. */
    public String text() {
        return TextLines.join(lines);
    }

    public boolean hasByteOrderMark() {
        return bom;
    }

    /** Where the metadata is, or empty for a file without a metadata block. */
    public Optional<MetadataBlock> metadataBlock() {
        return Optional.ofNullable(block);
    }

    /** Every top-level key of the metadata block, in file order, coord's own and unknown ones alike. */
    public List<MetadataField> fields() {
        return entries.stream().map(Entry::toField).toList();
    }

    public Optional<MetadataField> field(String key) {
        return Optional.ofNullable(entriesByKey.get(key)).map(Entry::toField);
    }

    /** {@code mission_id}, or the file name without {@code .md} when it is missing or empty. */
    public String missionId() {
        return missionId;
    }

    public Optional<String> status() {
        return Optional.ofNullable(status);
    }

    public Optional<String> assignedTo() {
        return Optional.ofNullable(assignedTo);
    }

    /** {@code created} as written, e.g. {@code 2025-12-22}. */
    public Optional<String> created() {
        return Optional.ofNullable(created);
    }

    /**
     * {@code priority}: a lower number is a higher priority; {@link MissionFormat#DEFAULT_PRIORITY} (the lowest)
     * when missing or empty.
     */
    public int priority() {
        return priority;
    }

    /** {@code depends_on}: mission ids; empty when missing or empty. */
    public List<String> dependsOn() {
        return dependsOn;
    }

    public Optional<OffsetDateTime> claimedAt() {
        return Optional.ofNullable(claimedAt);
    }

    public Optional<String> claimedBy() {
        return Optional.ofNullable(claimedBy);
    }

    /** {@code completed_at} as written. */
    public Optional<String> completedAt() {
        return Optional.ofNullable(completedAt);
    }

    /** The text of the first {@code # } heading, or the mission id when there is none. */
    public String title() {
        return title;
    }

    /**
     * The checkbox items under {@code ## Objectives} (sub-headings included), at most
     * {@link MissionFormat#MAX_OBJECTIVES}.
     */
    public List<Objective> objectives() {
        return objectives;
    }

    /** {@link #withField(String, String, Quoting)} with {@link Quoting#AUTO}. */
    public MissionDocument withField(String key, String value) {
        return withField(key, value, Quoting.AUTO);
    }

    /**
     * Sets a metadata key to a scalar. An existing key is changed in place: only its value is rewritten; the
     * indentation, the spacing after the colon and a trailing {@code # comment} stay (a value spread over
     * several lines is replaced with the one-line value). A missing key is added as a {@code key: value} line
     * after the last non-blank line of the block. A file without a metadata block gets a fenced {@code ```yaml}
     * block after its {@code # } title (at the top when there is no title before the first {@code ## }).
     *
     * @param key a plain key: letters, digits, {@code _ . -}, not starting with {@code . -}
     * @throws IllegalArgumentException for a bad key, or a value that makes the file invalid (such as a
     *     {@code priority} that is not an integer)
     */
    public MissionDocument withField(String key, String value, Quoting quoting) {
        checkKey(key);
        checkText(value, "value");
        Objects.requireNonNull(quoting, "quoting");
        Entry existing = entriesByKey.get(key);
        QuoteStyle style = existing == null ? QuoteStyle.NONE : existing.style();
        return setValue(key, YamlWriter.scalar(value, style, quoting == Quoting.ALWAYS));
    }

    /** Like {@link #withField(String, String)}, with a flow list value such as {@code [a, b]} or {@code []}. */
    public MissionDocument withListField(String key, List<String> items) {
        checkKey(key);
        Objects.requireNonNull(items, "items");
        for (String item : items) {
            checkText(item, "list item");
        }
        return setValue(key, YamlWriter.flowList(items));
    }

    /**
     * Empties the value of an existing key in place: the key line keeps its indentation and a trailing
     * {@code # comment}, and loses the value and the blanks between the colon and the value, so that a value set by
     * {@link #withField} on a {@code key:   # comment} line is removed byte for byte. A missing key stays missing;
     * the document is returned unchanged.
     */
    public MissionDocument withoutValue(String key) {
        checkKey(key);
        Entry existing = entriesByKey.get(key);
        if (existing == null || existing.value() instanceof MetadataValue.Empty) {
            return this;
        }
        List<Line> edited = new ArrayList<>(lines);
        Line line = edited.get(existing.lineIndex());
        String content = line.content();
        String before = content.substring(0, existing.valueStart()).stripTrailing();
        String after = content.substring(existing.valueEnd());
        edited.set(existing.lineIndex(), new Line(after.isBlank() ? before : before + after, line.eol()));
        edited.subList(existing.lineIndex() + 1, existing.lastLineIndex() + 1).clear();
        return reparse(edited);
    }

    /**
     * Appends {@code - <line>} to the {@code ## Execution Log} section, under the {@code ### YYYY-MM-DD} heading
     * of the day: after that day's last list item (or after its last line when it has none); a missing day gets a
     * new heading, preceded by a blank line, after the last non-blank line of the log, which ends before the next
     * {@code ## } heading or before a {@code ---} footer that follows the last {@code ###} heading. A file without
     * the section gets one at its end.
     *
     * @param line the entry's text without the leading {@code "- "}, on one line
     */
    public MissionDocument withLogEntry(LocalDate day, String line) {
        Objects.requireNonNull(day, "day");
        checkText(line, "log line");
        if (line.isBlank() || line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("log line must be one non-blank line, got '" + line + "'");
        }
        return reparse(new ExecutionLog(lines, markdown).append(day, line));
    }

    @Override
    public String toString() {
        return "MissionDocument[" + file + ", mission_id=" + missionId + "]";
    }

    // ---------------------------------------------------------------- editing

    private MissionDocument setValue(String key, String rendered) {
        Entry existing = entriesByKey.get(key);
        List<Line> edited;
        if (existing != null) {
            edited = new ArrayList<>(lines);
            Line line = edited.get(existing.lineIndex());
            String content = line.content();
            String before = content.substring(0, existing.valueStart());
            String after = content.substring(existing.valueEnd());
            String separator = existing.valueStart() == existing.valueEnd() ? " " : "";
            edited.set(existing.lineIndex(), new Line(before + separator + rendered + after, line.eol()));
            edited.subList(existing.lineIndex() + 1, existing.lastLineIndex() + 1)
                    .clear();
        } else if (block != null) {
            int opening = block.openingLine() - 1;
            int at = TextLines.lastNonBlank(lines, opening, block.closingLine() - 1) + 1;
            String indentation =
                    entries.isEmpty() ? blockIndentation : entries.get(0).indentation();
            edited = insert(at, List.of(indentation + key + ": " + rendered));
        } else {
            edited = withNewBlock(key + ": " + rendered);
        }
        try {
            return reparse(edited);
        } catch (MissionFormatException e) {
            throw new IllegalArgumentException(
                    "cannot set " + key + " to " + rendered + " in " + file + ": " + e.problem(), e);
        }
    }

    /**
     * A new fenced block, the form the project's missions use ({@code # Title}, blank line, {@code ```yaml}),
     * so that the file keeps looking like its siblings; front matter would be a second convention.
     */
    private List<Line> withNewBlock(String keyLine) {
        int title = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (markdown.level(i) == 2) {
                break;
            }
            if (markdown.level(i) == 1) {
                title = i;
                break;
            }
        }
        List<String> added = new ArrayList<>();
        int at = title + 1;
        if (title >= 0) {
            added.add("");
        }
        added.addAll(List.of("```yaml", keyLine, "```"));
        if (at < lines.size() && !lines.get(at).isBlank()) {
            added.add("");
        }
        return insert(at, added);
    }

    private List<Line> insert(int index, List<String> contents) {
        return TextLines.insert(lines, index, contents, TextLines.dominantEol(lines));
    }

    private MissionDocument reparse(List<Line> edited) {
        byte[] text = TextLines.join(edited).getBytes(StandardCharsets.UTF_8);
        byte[] out = bom ? MissionBytes.concat(MissionBytes.BOM, text) : text;
        return new MissionDocument(file, out);
    }

    private static void checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (!PLAIN_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException(
                    "metadata key must be letters, digits, '_', '.' or '-' and not start with '.' or '-', got '" + key
                            + "'");
        }
    }

    private static void checkText(String text, String what) {
        Objects.requireNonNull(text, what);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c)
                    ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(++i))
                    : !Character.isLowSurrogate(c);
            if (!paired) {
                throw new IllegalArgumentException(what + " has an unpaired surrogate at index " + i);
            }
        }
    }
}
