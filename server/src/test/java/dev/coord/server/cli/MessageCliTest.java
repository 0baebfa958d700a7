package dev.coord.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coord.engine.model.Instance;
import dev.coord.engine.model.Message;
import dev.coord.engine.model.MessageDraft;
import dev.coord.engine.model.MessageQuery;
import dev.coord.engine.store.file.FileStore;
import dev.coord.server.ExitCodes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code coord send} and {@code coord inbox}: a person's side of messages. */
class MessageCliTest {
    @TempDir
    Path dir;

    CliFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new CliFixture(dir);
        Git.init(f.repo);
    }

    @Test
    void aPersonSendsToARoleAndTheSessionSeesItAsFromAPerson() {
        Instance b = f.register("Implement the auth API", "backend", "session-backend");
        CliFixture.Result r = f.run("send", "--to", "backend", "--subject", "stop", "please", "pause the", "deploy");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.SUCCESS);
        assertThat(r.out()).startsWith("sent msg-").contains(b.id() + " (backend)");
        try (FileStore store = f.store()) {
            List<Message> got = store.readMessages(b, new MessageQuery(true, null, null, 10))
                    .messages();
            assertThat(got).hasSize(1);
            Message m = got.get(0);
            assertThat(m.person()).isTrue();
            assertThat(m.body()).isEqualTo("please pause the deploy");
            assertThat(m.subject()).isEqualTo("stop");
            assertThat(m.fromTask()).endsWith("at the command line");
        }
    }

    @Test
    void sendingToNobodyAliveFailsWithTheReason() {
        CliFixture.Result r = f.run("send", "--to", "reviewer", "hello?");
        assertThat(r.code()).isEqualTo(ExitCodes.of(dev.coord.engine.ErrorCode.NOT_FOUND));
        assertThat(r.err()).contains("NOT_FOUND").contains("reviewer");
        CliFixture.Result tooLong = f.run("send", "--to", "all", "x".repeat(Message.MAX_BODY + 1));
        assertThat(tooLong.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooLong.err()).contains("at most 4096");
    }

    @Test
    void theInboxShowsWhatSessionsSentToThePeopleOnce() {
        Instance b = f.register("Implement the auth API", "backend", "session-backend");
        try (FileStore store = f.store()) {
            store.sendMessage(b, MessageDraft.note("person", "done?", "The API is ready for review."));
        }
        CliFixture.Result r = f.run("inbox");
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.SUCCESS);
        assertThat(r.out())
                .contains("from " + b.id() + " (backend, Implement the auth API)")
                .contains("subject: done?")
                .contains("  The API is ready for review.");
        assertThat(f.run("inbox").out()).contains("no unread messages");
        CliFixture.Result json = f.run("inbox", "--all", "--json");
        assertThat(json.out()).contains("\"unread_left\" : 0").contains("The API is ready for review.");
    }
}
