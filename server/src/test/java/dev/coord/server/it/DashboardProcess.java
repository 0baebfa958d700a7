package dev.coord.server.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A real {@code coord.jar dashboard --port 0} process; {@link #url} is the first line it printed. */
final class DashboardProcess implements AutoCloseable {
    final Process process;
    final String url;
    final int port;
    final String token;
    final List<String> stderr = new CopyOnWriteArrayList<>();

    DashboardProcess(Path repo, Map<String, String> extraEnv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                        CoordProcess.java(), "-jar", CoordProcess.jar().toString(), "dashboard")
                .directory(repo.toFile());
        pb.environment().put("CLAUDE_PROJECT_DIR", repo.toString());
        pb.environment().putAll(extraEnv);
        process = pb.start();
        Thread err = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    stderr.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        err.setDaemon(true);
        err.start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (IOException e) {
                        return null;
                    }
                })
                .get(60, TimeUnit.SECONDS);
        if (first == null) {
            throw new AssertionError("the dashboard printed nothing; stderr:\n" + String.join("\n", stderr));
        }
        url = first;
        URI u = URI.create(first);
        port = u.getPort();
        token = u.getQuery().substring("token=".length());
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String cookie() {
        return "coord_dashboard_" + port + "=" + token;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
