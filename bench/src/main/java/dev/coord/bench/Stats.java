package dev.coord.bench;

import java.util.Arrays;
import java.util.Locale;

/** Latency samples in nanoseconds, summarised as median, p99 and max in milliseconds. */
final class Stats {
    private long[] ns = new long[1024];
    private int n;

    void add(long nanos) {
        if (n == ns.length) {
            ns = Arrays.copyOf(ns, n * 2);
        }
        ns[n++] = nanos;
    }

    void addAll(Stats other) {
        for (int i = 0; i < other.n; i++) {
            add(other.ns[i]);
        }
    }

    int count() {
        return n;
    }

    double quantileMs(double q) {
        if (n == 0) {
            return Double.NaN;
        }
        long[] s = Arrays.copyOf(ns, n);
        Arrays.sort(s);
        int idx = (int) Math.ceil(q * n) - 1;
        return s[Math.max(0, Math.min(n - 1, idx))] / 1e6;
    }

    double medianMs() {
        return quantileMs(0.5);
    }

    double p99Ms() {
        return quantileMs(0.99);
    }

    double maxMs() {
        return quantileMs(1.0);
    }

    /** {@code | median | p99 | max | n |} cells. */
    String cells() {
        return String.format(Locale.ROOT, "%s | %s | %s | %d", ms(medianMs()), ms(p99Ms()), ms(maxMs()), n);
    }

    static String ms(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (v >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
