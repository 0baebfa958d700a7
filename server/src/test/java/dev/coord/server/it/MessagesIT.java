package dev.coord.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages between real server processes: sent by one, read by another, addressed by holder, handed over, refused. */
class MessagesIT {
    @TempDir
    Path repo;

    /** A server process and its operating-system process (found as the new child of this JVM). */
    record Server(CoordProcess mcp, ProcessHandle process) {}

    private Server start() {
        Set<Long> before =
                ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
        CoordProcess p = new CoordProcess(repo, Map.of());
        List<ProcessHandle> fresh = ProcessHandle.current()
                .children()
                .filter(h -> !before.contains(h.pid()))
                .toList();
        assertThat(fresh).as("the new server process").hasSize(1);
        return new Server(p, fresh.get(0));
    }

    private static String error(CallToolResult r) {
        assertThat(r.isError())
                .as("expected an error, got %s", r.structuredContent())
                .isTrue();
        return ((TextContent) r.content().get(0)).text();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

    @Test
    @SuppressWarnings("unchecked")
    void oneServerSendsAnotherReadsAndHolderAddressesWhoeverHoldsThePath() throws Exception {
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/A.java"), "class A {}\n");
        try (CoordProcess a = new CoordProcess(repo, Map.of());
                CoordProcess b = new CoordProcess(repo, Map.of())) {
            String idA = (String) a.ok("register_instance", Map.of("task", "auth API", "role", "backend"))
                    .get("instance_id");
            String idB = (String) b.ok("register_instance", Map.of("task", "login page", "role", "frontend"))
                    .get("instance_id");
            Map<String, Object> sent =
                    a.ok("send_message", Map.of("to", idB, "subject", "v2", "body", "use /v2/login"));
            assertThat(list(sent, "delivered_to"))
                    .extracting(m -> m.get("instance_id"))
                    .containsExactly(idB);

            Map<String, Object> inbox =
                    (Map<String, Object>) b.ok("status", Map.of()).get("inbox");
            assertThat(inbox).containsEntry("unread", 1);
            assertThat((String) inbox.get("newest")).isEqualTo("from session " + idA + " (backend, auth API): v2");
            Map<String, Object> read = b.ok("read_messages", Map.of());
            assertThat(list(read, "messages")).singleElement().satisfies(m -> assertThat(m)
                    .containsEntry("from", idA)
                    .containsEntry("body", "use /v2/login")
                    .containsEntry("id", sent.get("id")));
            assertThat(b.ok("status", Map.of())).doesNotContainKey("inbox");

            b.ok("acquire_lock", Map.of("paths", List.of("src/")));
            Map<String, Object> asked = a.ok(
                    "send_message",
                    Map.of("kind", "release_request", "body", "I need A", "about_paths", List.of("src/A.java")));
            assertThat(list(asked, "delivered_to"))
                    .extracting(m -> m.get("instance_id"))
                    .containsExactly(idB);
            Map<String, Object> byHolder = a.ok("send_message", Map.of("to", "holder:src/A.java", "body", "ping"));
            assertThat(list(byHolder, "delivered_to"))
                    .extracting(m -> m.get("instance_id"))
                    .containsExactly(idB);
            String reply = (String)
                    list(b.ok("read_messages", Map.of()), "messages").get(0).get("id");
            b.ok("send_message", Map.of("reply_to", reply, "body", "releasing now"));
            b.ok("release_lock", Map.of("all", true));
            List<Map<String, Object>> back = list(a.ok("read_messages", Map.of()), "messages");
            assertThat(back).extracting(m -> m.get("kind")).containsExactly("note", "path_free");
            assertThat(back.get(0)).containsEntry("body", "releasing now").containsEntry("reply_to", reply);
        }
    }

    @Test
    void aMessageToAKilledSessionIsRefusedAndItsOwnMessagesStayReadable() throws Exception {
        try (CoordProcess a = new CoordProcess(repo, Map.of())) {
            String idA = (String) a.ok("register_instance", Map.of("task", "t", "role", "backend"))
                    .get("instance_id");
            Server c = start();
            String idC = (String) c.mcp()
                    .ok("register_instance", Map.of("task", "doomed", "role", "qa"))
                    .get("instance_id");
            c.mcp().ok("send_message", Map.of("to", idA, "body", "my last words"));
            c.process().destroyForcibly();
            c.process().onExit().get(30, TimeUnit.SECONDS);

            String refused = error(a.call("send_message", Map.of("to", idC, "body", "are you there?")));
            assertThat(refused).startsWith("NOT_FOUND").contains(idC).contains("not sent");
            assertThat(error(a.call("send_message", Map.of("to", "qa", "body", "anyone?"))))
                    .startsWith("NOT_FOUND")
                    .contains("qa");
            assertThat(list(a.ok("read_messages", Map.of()), "messages"))
                    .singleElement()
                    .satisfies(m -> assertThat(m).containsEntry("from", idC).containsEntry("body", "my last words"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoHandoversOfOneLockRaceAndExactlyOneReceiverGetsIt() throws Exception {
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/A.java"), "class A {}\n");
        try (CoordProcess a = new CoordProcess(repo, Map.of());
                CoordProcess b = new CoordProcess(repo, Map.of());
                CoordProcess c = new CoordProcess(repo, Map.of())) {
            a.ok("register_instance", Map.of("task", "giver"));
            String idB = (String) b.ok("register_instance", Map.of("task", "b")).get("instance_id");
            String idC = (String) c.ok("register_instance", Map.of("task", "c")).get("instance_id");
            long old = ((Number) list(a.ok("acquire_lock", Map.of("paths", List.of("src/A.java"))), "locks")
                            .get(0)
                            .get("token"))
                    .longValue();
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<CallToolResult>> calls = new ArrayList<>();
                for (String to : List.of(idB, idC)) {
                    calls.add(pool.submit(() -> {
                        go.await();
                        return a.call(
                                "send_message",
                                Map.of(
                                        "to",
                                        to,
                                        "kind",
                                        "handover",
                                        "body",
                                        "yours",
                                        "about_paths",
                                        List.of("src/A.java")));
                    }));
                }
                go.countDown();
                int won = 0;
                String winner = null;
                for (int i = 0; i < 2; i++) {
                    CallToolResult r = calls.get(i).get(1, TimeUnit.MINUTES);
                    if (Boolean.TRUE.equals(r.isError())) {
                        assertThat(((TextContent) r.content().get(0)).text()).startsWith("NOT_HELD");
                    } else {
                        won++;
                        winner = i == 0 ? idB : idC;
                        Map<String, Object> handed = list((Map<String, Object>) r.structuredContent(), "handed_over")
                                .get(0);
                        assertThat(((Number) handed.get("token")).longValue()).isGreaterThan(old);
                    }
                }
                assertThat(won).as("handovers that succeeded").isEqualTo(1);
                String loser = winner.equals(idB) ? idC : idB;
                CoordProcess winnerProc = winner.equals(idB) ? b : c;
                CoordProcess loserProc = winner.equals(idB) ? c : b;
                Map<String, Object> mine = winnerProc.ok("acquire_lock", Map.of("paths", List.of("src/A.java")));
                assertThat(mine).containsEntry("acquired", true);
                assertThat(list(mine, "locks").get(0)).containsEntry("renewed", true);
                Map<String, Object> theirs = loserProc.ok("acquire_lock", Map.of("paths", List.of("src/A.java")));
                assertThat(theirs).containsEntry("acquired", false);
                assertThat(list(loserProc.ok("read_messages", Map.of()), "messages"))
                        .as("the loser %s got no handover", loser)
                        .isEmpty();
                assertThat(list(winnerProc.ok("read_messages", Map.of()), "messages"))
                        .singleElement()
                        .satisfies(m -> assertThat(m).containsEntry("kind", "handover"));
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
