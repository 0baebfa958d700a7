package dev.coord.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code COORD_*} variable the code reads (Java sources of the modules, the launchers) is documented in
 * {@code docs/configuration.md} or the README, so the configuration reference cannot silently fall behind.
 */
class ConfigurationDocTest {
    private static final Path TOP = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern NAME = Pattern.compile("COORD_[A-Z][A-Z0-9_]*[A-Z0-9]");

    private static Set<String> namesIn(Path root) throws IOException {
        Set<String> names = new TreeSet<>();
        if (!Files.exists(root)) {
            return names;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Matcher m = NAME.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    @Test
    void everyVariableTheCodeReadsIsDocumented() throws IOException {
        Set<String> used = new TreeSet<>();
        for (String module : new String[] {"engine", "tools", "server"}) {
            used.addAll(namesIn(TOP.resolve(module).resolve("src/main")));
        }
        used.addAll(namesIn(TOP.resolve("bin")));
        String docs = Files.readString(TOP.resolve("docs/configuration.md"), StandardCharsets.UTF_8)
                + Files.readString(TOP.resolve("README.md"), StandardCharsets.UTF_8);

        assertThat(used).as("the scan finds the variables").contains("COORD_LOCK_TTL", "COORD_JAR", "COORD_ENFORCE");
        assertThat(used)
                .as("variables read by the code but documented in neither docs/configuration.md nor README.md")
                .allSatisfy(name -> assertThat(docs).contains("`" + name + "`"));
    }
}
