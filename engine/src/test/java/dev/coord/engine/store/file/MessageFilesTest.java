package dev.coord.engine.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.model.Message;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageFilesTest {
    @TempDir
    Path dir;

    private final Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
    private final Clock clock = Clock.fixed(t0, ZoneOffset.UTC);

    private Message note(int i) {
        return new Message(
                "msg-20261201-" + String.format("%08x", i),
                t0.plusSeconds(i),
                "claude-a",
                "dev",
                "task",
                false,
                "claude-b",
                List.of("claude-b"),
                Message.Kind.NOTE,
                "s" + i,
                "body " + i,
                null,
                "msg-20261201-" + String.format("%08x", i),
                List.of(),
                null);
    }

    @Test
    void thePruningProcessKeepsItsParsedMessagesAndStillReadsLaterAppends() throws IOException {
        MessageFiles files = new MessageFiles(dir, clock, p -> {});
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Message m = note(i);
            sent.add(m);
            files.inTransaction(box -> {
                box.append(m);
                return null;
            });
        }
        List<Message> before = files.all();
        int dropped = files.inTransaction(box -> box.prune(t0, 4));
        assertThat(dropped).isEqualTo(6);
        List<Message> after = files.all();
        assertThat(after).extracting(Message::body).containsExactly("body 6", "body 7", "body 8", "body 9");
        for (int i = 0; i < after.size(); i++) {
            assertThat(after.get(i))
                    .as("kept messages are the objects parsed before the prune, not a second parse of the file")
                    .isSameAs(before.get(6 + i));
        }

        MessageFiles otherProcess = new MessageFiles(dir, clock, p -> {});
        assertThat(otherProcess.all()).isEqualTo(after);
        otherProcess.inTransaction(box -> {
            box.append(note(20));
            return null;
        });
        assertThat(files.all())
                .as("an append by another process after the prune is read, exactly once")
                .extracting(Message::body)
                .containsExactly("body 6", "body 7", "body 8", "body 9", "body 20");
        List<Message> toB = files.inTransaction(box -> box.deliveredTo("claude-b"));
        assertThat(toB).extracting(Message::body).containsExactly("body 6", "body 7", "body 8", "body 9", "body 20");
        assertThat(new MessageFiles(dir, clock, p -> {}).all()).isEqualTo(files.all());
    }

    @Test
    void aBoxReadsItsOwnAppendsAndAFreshBoxReadsAnotherProcesssAppends() throws IOException {
        MessageFiles files = new MessageFiles(dir, clock, p -> {});
        MessageFiles otherProcess = new MessageFiles(dir, clock, p -> {});
        List<String> seen = files.inTransaction(box -> {
            List<String> bodies = new ArrayList<>();
            box.kept(); // the box has read the file once
            box.append(note(1));
            bodies.add(box.byId(note(1).id()).map(Message::body).orElse("missing"));
            box.append(note(2));
            box.deliveredTo("claude-b").forEach(m -> bodies.add(m.body()));
            bodies.add(Integer.toString(box.kept().count()));
            return bodies;
        });
        assertThat(seen).containsExactly("body 1", "body 1", "body 2", "2");
        otherProcess.inTransaction(box -> {
            box.append(note(3));
            return null;
        });
        List<Message> toB = files.inTransaction(box -> box.deliveredTo("claude-b"));
        assertThat(toB).extracting(Message::body).containsExactly("body 1", "body 2", "body 3");
        int kept = files.view(box -> box.kept().count());
        assertThat(kept).isEqualTo(3);
    }
}
