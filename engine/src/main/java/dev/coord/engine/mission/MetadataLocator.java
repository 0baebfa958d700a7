package dev.coord.engine.mission;

import dev.coord.engine.mission.TextLines.Line;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds a mission file's metadata block: front matter opened by {@code ---} on the first line, else the first
 * fenced {@code ```yaml} block before the first {@code ## } heading; none otherwise.
 */
final class MetadataLocator {

    private static final Pattern FRONT_MATTER_DELIMITER = Pattern.compile("^---[ \\t]*$");

    private MetadataLocator() {}

    record Located(MetadataBlock block, String indentation) {}

    static Located locate(Path file, List<Line> lines) {
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
}
