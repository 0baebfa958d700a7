package dev.coord.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** The bare cost of the file-system operations the store is built from, on the disk of the project. */
final class Floor {
    private Floor() {}

    static void run(Env env) throws IOException {
        Path dir = env.newRepo("floor").resolve("state");
        Files.createDirectories(dir);
        byte[] kb = new byte[1024];
        Arrays.fill(kb, (byte) 'x');
        Stats lock = new Stats();
        try (FileChannel ch = FileChannel.open(
                dir.resolve("mutex"), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            for (int i = 0; i < 11_000; i++) {
                long t0 = System.nanoTime();
                FileLock l = ch.lock();
                l.release();
                if (i >= 1000) {
                    lock.add(System.nanoTime() - t0);
                }
            }
        }
        Stats rename = new Stats();
        Stats renameSync = new Stats();
        Path target = dir.resolve("doc.json");
        for (int i = 0; i < 2200; i++) {
            long t0 = System.nanoTime();
            atomicWrite(dir, target, kb, false);
            if (i >= 200) {
                rename.add(System.nanoTime() - t0);
            }
        }
        for (int i = 0; i < 550; i++) {
            long t0 = System.nanoTime();
            atomicWrite(dir, target, kb, true);
            if (i >= 50) {
                renameSync.add(System.nanoTime() - t0);
            }
        }
        Stats append = new Stats();
        byte[] line = new byte[300];
        Arrays.fill(line, (byte) 'y');
        line[line.length - 1] = '\n';
        try (FileChannel ch =
                FileChannel.open(dir.resolve("log.jsonl"), StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (int i = 0; i < 1100; i++) {
                long t0 = System.nanoTime();
                ch.write(ByteBuffer.wrap(line));
                ch.force(false);
                if (i >= 100) {
                    append.add(System.nanoTime() - t0);
                }
            }
        }
        Stats read = new Stats();
        for (int i = 0; i < 2200; i++) {
            long t0 = System.nanoTime();
            Files.readAllBytes(target);
            if (i >= 200) {
                read.add(System.nanoTime() - t0);
            }
        }
        env.report("## Floor: bare file-system costs on this disk (in the driver JVM, no coord code)\n\n"
                + "| operation | median ms | p99 ms | max ms | runs |\n|---|---|---|---|---|\n"
                + "| FileChannel.lock + release (uncontended) | " + lock.cells() + " |\n"
                + "| read a 1 KB file | " + read.cells() + " |\n"
                + "| atomic write of 1 KB: temp + rename, no fsync | " + rename.cells() + " |\n"
                + "| atomic write of 1 KB: temp, fsync, rename, fsync dir | " + renameSync.cells() + " |\n"
                + "| append 300 B + fdatasync | " + append.cells() + " |\n");
    }

    static void atomicWrite(Path dir, Path target, byte[] bytes, boolean sync) throws IOException {
        Path tmp = dir.resolve("doc.json.tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes));
            if (sync) {
                ch.force(true);
            }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        if (sync) {
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        }
    }
}
