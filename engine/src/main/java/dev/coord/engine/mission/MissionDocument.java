package dev.coord.engine.mission;

import dev.coord.engine.mission.MetadataParser.Entry;
import dev.coord.engine.mission.MetadataParser.QuoteStyle;
import dev.coord.engine.mission.TextLines.Line;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
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

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final Pattern FRONT_MATTER_DELIMITER = Pattern.compile("^---[ \\t]*$");
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern CHECKBOX = Pattern.compile("^[ \\t]*[-*+][ \\t]+\\[([ xX])\\](?:[ \\t]+(.*))?$");

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
        this.bom = startsWithBom(bytes);
        this.lines = List.copyOf(TextLines.split(decode(file, bytes, bom)));

        Located located = locateMetadata(file, lines);
        this.block = located == null ? null : located.block;
        this.blockIndentation = located == null ? "" : located.indentation;
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

        this.missionId = text(MissionFormat.MISSION_ID).orElse(MissionFormat.missionIdFromFileName(file));
        this.status = text(MissionFormat.STATUS).orElse(null);
        this.assignedTo = text(MissionFormat.ASSIGNED_TO).orElse(null);
        this.created = text(MissionFormat.CREATED).orElse(null);
        this.priority = readPriority();
        this.dependsOn = readDependsOn();
        this.claimedAt = readClaimedAt();
        this.claimedBy = text(MissionFormat.CLAIMED_BY).orElse(null);
        this.completedAt = text(MissionFormat.COMPLETED_AT).orElse(null);
        this.title = readTitle();
        this.objectives = readObjectives();
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
        String date = DateTimeFormatter.ISO_LOCAL_DATE.format(day);
        String item = "- " + line;
        int section = markdown.findHeading(2, MissionFormat.EXECUTION_LOG);
        if (section < 0) {
            List<String> added = new ArrayList<>();
            if (!lines.isEmpty() && !lines.get(lines.size() - 1).isBlank()) {
                added.add("");
            }
            added.addAll(List.of("## " + MissionFormat.EXECUTION_LOG, "", "### " + date, "", item));
            return reparse(insert(lines.size(), added));
        }
        int sectionEnd = markdown.nextHeading(section, 2, lines.size());
        int lastSubheading = section;
        for (int i = section + 1; i < sectionEnd; i++) {
            if (markdown.level(i) >= 3) {
                lastSubheading = i;
            }
        }
        int bodyEnd = sectionEnd;
        for (int i = lastSubheading + 1; i < sectionEnd; i++) {
            if (markdown.isThematicBreak(i)) {
                bodyEnd = i;
                break;
            }
        }
        int dayHeading = -1;
        for (int i = section + 1; i < bodyEnd; i++) {
            if (markdown.level(i) == 3 && isDayHeading(markdown.text(i), date)) {
                dayHeading = i;
            }
        }
        if (dayHeading >= 0) {
            int dayEnd = markdown.nextHeading(dayHeading, 3, bodyEnd);
            int lastItem = -1;
            for (int i = dayHeading + 1; i < dayEnd; i++) {
                if (!markdown.isCode(i) && Markdown.isListItem(lines.get(i).content())) {
                    lastItem = i;
                }
            }
            if (lastItem >= 0) {
                return reparse(insert(endOfListItem(lastItem, dayEnd) + 1, List.of(item)));
            }
            return reparse(insert(lastNonBlank(dayHeading, dayEnd) + 1, List.of("", item)));
        }
        int at = lastNonBlank(section, bodyEnd) + 1;
        List<String> added = new ArrayList<>(List.of("", "### " + date, "", item));
        if (at < lines.size() && !lines.get(at).isBlank()) {
            added.add("");
        }
        return reparse(insert(at, added));
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
            int at = lastNonBlank(opening, block.closingLine() - 1) + 1;
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
        byte[] out = bom ? concat(BOM, text) : text;
        return new MissionDocument(file, out);
    }

    /** The last line of a list item: the item line and the indented lines (and blank lines between them) after it. */
    private int endOfListItem(int item, int limit) {
        int last = item;
        for (int i = item + 1; i < limit; i++) {
            Line line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            if (TextLines.indentation(line.content()) >= 2 && markdown.level(i) == 0) {
                last = i;
            } else {
                break;
            }
        }
        return last;
    }

    /** The last non-blank line in [from, to), or {@code from} when all are blank. */
    private int lastNonBlank(int from, int to) {
        for (int i = to - 1; i > from; i--) {
            if (!lines.get(i).isBlank()) {
                return i;
            }
        }
        return from;
    }

    private static boolean isDayHeading(String text, String date) {
        return text.startsWith(date)
                && (text.length() == date.length() || !Character.isDigit(text.charAt(date.length())));
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

    // ---------------------------------------------------------------- reading

    private record Located(MetadataBlock block, String indentation) {}

    private static Located locateMetadata(Path file, List<Line> lines) {
        if (lines.isEmpty()) {
            return null;
        }
        if (FRONT_MATTER_DELIMITER.matcher(lines.get(0).content()).matches()) {
            for (int i = 1; i < lines.size(); i++) {
                if (FRONT_MATTER_DELIMITER.matcher(lines.get(i).content()).matches()) {
                    return new Located(new MetadataBlock(MetadataBlock.Form.FRONT_MATTER, 1, i + 1), "");
                }
            }
            throw new MissionFormatException(
                    file, 1, "front matter opened by '---' on line 1 is not closed by a '---' line");
        }
        Markdown.Fence open = null;
        for (int i = 0; i < lines.size(); i++) {
            String content = lines.get(i).content();
            if (open != null) {
                if (open.isClosedBy(content)) {
                    open = null;
                }
                continue;
            }
            Markdown.Fence fence = Markdown.openingFence(content);
            if (fence != null && fence.isYaml()) {
                for (int j = i + 1; j < lines.size(); j++) {
                    if (fence.isClosedBy(lines.get(j).content())) {
                        String indentation = content.substring(0, TextLines.indentation(content));
                        return new Located(
                                new MetadataBlock(MetadataBlock.Form.FENCED_YAML, i + 1, j + 1), indentation);
                    }
                }
                throw new MissionFormatException(
                        file, i + 1, "the " + content.strip() + " metadata block opened on this line is never closed");
            }
            if (fence != null) {
                open = fence;
            } else if (Markdown.headingLevel(content) == 2) {
                return null;
            }
        }
        return null;
    }

    private Optional<String> text(String key) {
        Entry entry = entriesByKey.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        MetadataValue value = entry.value();
        if (value instanceof MetadataValue.Scalar scalar) {
            return scalar.text().isBlank() ? Optional.empty() : Optional.of(scalar.text());
        }
        if (value instanceof MetadataValue.FlowList) {
            throw error(entry, key + " must be a single value, not a list");
        }
        if (value instanceof MetadataValue.Unsupported unsupported) {
            throw unsupported(entry, unsupported, "a single value on one line");
        }
        return Optional.empty();
    }

    private int readPriority() {
        Optional<String> text = text(MissionFormat.PRIORITY);
        if (text.isEmpty()) {
            return MissionFormat.DEFAULT_PRIORITY;
        }
        Entry entry = entriesByKey.get(MissionFormat.PRIORITY);
        String value = text.get().strip();
        if (!INTEGER.matcher(value).matches()) {
            throw error(
                    entry, "priority must be an integer (a lower number is a higher priority), got '" + value + "'");
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw error(entry, "priority " + value + " is out of range");
        }
    }

    private List<String> readDependsOn() {
        Entry entry = entriesByKey.get(MissionFormat.DEPENDS_ON);
        if (entry == null) {
            return List.of();
        }
        MetadataValue value = entry.value();
        if (value instanceof MetadataValue.FlowList list) {
            for (String item : list.items()) {
                if (item.isBlank()) {
                    throw error(entry, "depends_on has an empty mission id");
                }
            }
            return list.items();
        }
        if (value instanceof MetadataValue.Scalar scalar) {
            throw error(
                    entry, "depends_on must be a list of mission ids like [a, b] or [], got '" + scalar.text() + "'");
        }
        if (value instanceof MetadataValue.Unsupported unsupported) {
            throw unsupported(entry, unsupported, "a list on one line like [a, b]");
        }
        return List.of();
    }

    private OffsetDateTime readClaimedAt() {
        Optional<String> text = text(MissionFormat.CLAIMED_AT);
        if (text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.get().strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw error(
                    entriesByKey.get(MissionFormat.CLAIMED_AT),
                    "claimed_at must be an ISO-8601 date-time with an offset like 2025-12-22T02:30:00+01:00, got '"
                            + text.get() + "'");
        }
    }

    private String readTitle() {
        for (int i = 0; i < lines.size(); i++) {
            if (markdown.level(i) == 1 && !markdown.text(i).isEmpty()) {
                return markdown.text(i);
            }
        }
        return missionId;
    }

    private List<Objective> readObjectives() {
        int section = markdown.findHeading(2, MissionFormat.OBJECTIVES);
        if (section < 0) {
            return List.of();
        }
        int end = markdown.nextHeading(section, 2, lines.size());
        List<Objective> found = new ArrayList<>();
        for (int i = section + 1; i < end && found.size() < MissionFormat.MAX_OBJECTIVES; i++) {
            if (markdown.isCode(i)) {
                continue;
            }
            Matcher m = CHECKBOX.matcher(lines.get(i).content());
            if (m.matches() && m.group(2) != null && !m.group(2).isBlank()) {
                found.add(new Objective(m.group(2).strip(), !m.group(1).equals(" "), i + 1));
            }
        }
        return List.copyOf(found);
    }

    private MissionFormatException error(Entry entry, String problem) {
        return new MissionFormatException(file, entry.lineIndex() + 1, problem);
    }

    private MissionFormatException unsupported(Entry entry, MetadataValue.Unsupported value, String expected) {
        return error(
                entry,
                entry.key() + " is written as " + value.reason() + ", which coord does not read; write it as "
                        + expected);
    }

    // ---------------------------------------------------------------- bytes

    private static boolean startsWithBom(byte[] bytes) {
        return bytes.length >= 3 && Arrays.equals(bytes, 0, 3, BOM, 0, 3);
    }

    private static String decode(Path file, byte[] bytes, boolean bom) {
        int start = bom ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = start; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new MissionFormatException(
                    file, line, "the file is not valid UTF-8 (bad byte sequence at byte offset " + offset + ")");
        }
        out.flip();
        return out.toString();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] out = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }
}
