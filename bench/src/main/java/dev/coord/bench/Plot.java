package dev.coord.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** Draws the contention results: throughput and latency against the number of server processes. */
final class Plot {
    private Plot() {}

    static final int W = 1100;
    static final int H = 460;

    static void contention(List<Contention.Row> rows, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        List<Contention.Row> distinct = rows.stream().filter(r -> !r.hot()).toList();
        List<Contention.Row> hot = rows.stream().filter(Contention.Row::hot).toList();
        panel(g, 0, "Throughput (tool calls/s, all processes)", distinct, hot, Contention.Row::callsPerSecond, null);
        panel(
                g,
                W / 2,
                "Latency per call (ms): median solid, p99 dashed",
                distinct,
                hot,
                r -> r.latency().medianMs(),
                r -> r.latency().p99Ms());
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void panel(
            Graphics2D g,
            int x0,
            String title,
            List<Contention.Row> distinct,
            List<Contention.Row> hot,
            ToDoubleFunction<Contention.Row> main,
            ToDoubleFunction<Contention.Row> second) {
        int left = x0 + 70;
        int right = x0 + W / 2 - 20;
        int top = 50;
        int bottom = H - 70;
        double max = 0;
        for (List<Contention.Row> s : List.of(distinct, hot)) {
            for (Contention.Row r : s) {
                max = Math.max(max, main.applyAsDouble(r));
                if (second != null) {
                    max = Math.max(max, second.applyAsDouble(r));
                }
            }
        }
        max = niceCeil(max);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top, left, bottom);
        for (int i = 0; i <= 5; i++) {
            int y = bottom - (bottom - top) * i / 5;
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left + 1, y, right, y);
            g.setColor(Color.BLACK);
            String label = fmt(max * i / 5);
            g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        int n = distinct.size();
        for (int i = 0; i < n; i++) {
            String label = Integer.toString(distinct.get(i).processes());
            int x = xAt(i, n, left, right);
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, bottom + 18);
        }
        g.drawString("server processes on one repository", (left + right) / 2 - 100, bottom + 40);
        series(g, distinct, main, new Color(31, 119, 180), false, left, right, top, bottom, max);
        series(g, hot, main, new Color(214, 39, 40), false, left, right, top, bottom, max);
        if (second != null) {
            series(g, distinct, second, new Color(31, 119, 180), true, left, right, top, bottom, max);
            series(g, hot, second, new Color(214, 39, 40), true, left, right, top, bottom, max);
        }
        g.setColor(new Color(31, 119, 180));
        g.drawString("distinct paths", right - 120, top + 10);
        g.setColor(new Color(214, 39, 40));
        g.drawString("one hot path (waiting)", right - 120, top + 26);
    }

    private static void series(
            Graphics2D g,
            List<Contention.Row> rows,
            ToDoubleFunction<Contention.Row> f,
            Color c,
            boolean dashed,
            int left,
            int right,
            int top,
            int bottom,
            double max) {
        g.setColor(c);
        g.setStroke(
                dashed
                        ? new BasicStroke(
                                2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 5f}, 0f)
                        : new BasicStroke(2.5f));
        int n = rows.size();
        int px = -1;
        int py = -1;
        for (int i = 0; i < n; i++) {
            int x = xAt(i, n, left, right);
            int y = (int) (bottom - (bottom - top) * f.applyAsDouble(rows.get(i)) / max);
            g.fillOval(x - 3, y - 3, 7, 7);
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            px = x;
            py = y;
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static int xAt(int i, int n, int left, int right) {
        return left + 30 + (right - left - 60) * i / Math.max(1, n - 1);
    }

    private static double niceCeil(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String fmt(double v) {
        return v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
