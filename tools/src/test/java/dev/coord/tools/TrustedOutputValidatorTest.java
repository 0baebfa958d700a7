package dev.coord.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator the server hands the SDK renders structured content as JSON text and compiles nothing. */
class TrustedOutputValidatorTest {
    private final TrustedOutputValidator validator = new TrustedOutputValidator();

    @Test
    void structuredContentBecomesItsJsonText() {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("acquired", true);
        Map<String, Object> grant = new LinkedHashMap<>(); // Map.of has no fixed order: the text would vary by run
        grant.put("path", "src/\"A\".java");
        grant.put("token", 7);
        content.put("grants", List.of(grant));
        var r = validator.validate(Map.of("type", "object"), content);
        assertThat(r.valid()).isTrue();
        assertThat(r.jsonStructuredOutput())
                .isEqualTo("{\"acquired\":true,\"grants\":[{\"path\":\"src/\\\"A\\\".java\",\"token\":7}]}");
    }

    @Test
    void missingContentIsRefusedAndSchemasAreAccepted() {
        assertThat(validator.validate(Map.of(), null).valid()).isFalse();
        assertThat(validator.validateSchema(Map.of("type", "nonsense")).valid()).isTrue();
        assertThat(validator.validate(Map.of(), "{\"a\": 1}").jsonStructuredOutput())
                .isEqualTo("{\"a\":1}");
    }
}
