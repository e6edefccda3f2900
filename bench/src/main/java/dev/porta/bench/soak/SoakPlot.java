package dev.porta.bench.soak;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The soak's samples as a small PNG: four panels over the minutes (heap after GC, RSS, descriptors,
 * threads), each with its axis range, drawn with Java 2D so that no plotting tool is needed.
 */
final class SoakPlot {

    private static final int PANEL_W = 420;
    private static final int PANEL_H = 200;

    private SoakPlot() {
    }

    static void write(List<Sample> samples, String title, Path png) throws IOException {
        BufferedImage image = new BufferedImage(2 * PANEL_W, 2 * PANEL_H + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 10, 20);
        panel(g, 0, 30, samples, "heap after GC (MiB)", s -> s.heapKb() / 1024.0, new Color(0x1f77b4));
        panel(g, PANEL_W, 30, samples, "RSS (MiB)", s -> s.rssKb() / 1024.0, new Color(0xd62728));
        panel(g, 0, 30 + PANEL_H, samples, "open descriptors", Sample::fds, new Color(0x2ca02c));
        panel(g, PANEL_W, 30 + PANEL_H, samples, "threads", Sample::threads, new Color(0x9467bd));
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static void panel(Graphics2D g, int x0, int y0, List<Sample> samples, String label,
                              ToDoubleFunction<Sample> value, Color color) {
        int left = x0 + 50;
        int right = x0 + PANEL_W - 15;
        int top = y0 + 25;
        int bottom = y0 + PANEL_H - 30;
        double max = samples.stream().mapToDouble(value).max().orElse(1);
        double min = samples.stream().mapToDouble(value).min().orElse(0);
        double lo = Math.max(0, min - (max - min) * 0.5 - 1);
        double hi = max + (max - min) * 0.5 + 1;
        int minutes = samples.isEmpty() ? 1 : Math.max(1, samples.get(samples.size() - 1).minute());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.BLACK);
        g.drawString(label, left, y0 + 15);
        g.setColor(Color.GRAY);
        g.drawRect(left, top, right - left, bottom - top);
        g.drawString(String.format("%.0f", hi), x0 + 5, top + 10);
        g.drawString(String.format("%.0f", lo), x0 + 5, bottom);
        g.drawString("0", left, bottom + 14);
        g.drawString(minutes + " min", right - 40, bottom + 14);
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        int px = -1;
        int py = -1;
        for (Sample s : samples) {
            int x = left + (int) Math.round((double) s.minute() / minutes * (right - left));
            int y = bottom - (int) Math.round((value.applyAsDouble(s) - lo) / (hi - lo) * (bottom - top));
            if (px >= 0) g.drawLine(px, py, x, y);
            g.fillOval(x - 2, y - 2, 5, 5);
            px = x;
            py = y;
        }
    }
}
