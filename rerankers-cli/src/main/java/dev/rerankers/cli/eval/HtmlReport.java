package dev.rerankers.cli.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders an {@link EvalReport} as one self-contained HTML page: the results table, a
 * quality-versus-latency scatter plot (nDCG@k against median latency, log scale) and each
 * ranker's per-query latency distribution. Charts are inline SVG; the page loads nothing.
 */
final class HtmlReport {
  private static final String[] PALETTE = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"
  };
  private static final double MIN_MS = 1e-3;
  private static final int MAX_DOTS = 600;

  private HtmlReport() {}

  static String render(EvalReport report) {
    List<ReportRow> ok = new ArrayList<>();
    for (ReportRow r : report.rows()) {
      if (!r.failed()) {
        ok.add(r);
      }
    }
    StringBuilder sb = new StringBuilder(16_384);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>rerankers eval: ")
        .append(esc(report.dataset()))
        .append("</title>\n<style>\n")
        .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1000px;color:#222}\n")
        .append("table{border-collapse:collapse;font-size:14px}th,td{padding:4px 10px;border-bottom:1px solid #ddd}\n")
        .append("td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}td.err{color:#b00}td.s{white-space:nowrap}th{text-align:left}\n")
        .append("svg text{font-size:12px;fill:#333}.axis line,.axis path{stroke:#999}.grid{stroke:#eee}\n")
        .append("p.note{color:#555;font-size:13px}\n</style>\n</head>\n<body>\n");
    sb.append("<h1>Evaluation: ").append(esc(report.dataset())).append("</h1>\n");
    sb.append("<p>Split <b>").append(esc(report.split())).append("</b>, first stage <b>")
        .append(esc(report.firstStage().toString())).append("</b>, depth ").append(report.depth())
        .append(", ").append(ok.isEmpty() ? 0 : ok.get(0).queries()).append(" queries. Metrics as trec_eval defines them.</p>\n");
    table(sb, report);
    sb.append("<h2>Quality vs latency</h2>\n");
    sb.append("<p class=\"note\">nDCG@").append(report.k())
        .append(" against median (p50) latency per query, log scale. Up and to the left is better.</p>\n");
    scatter(sb, ok, report.k());
    sb.append("<h2>Latency per query</h2>\n");
    sb.append("<p class=\"note\">Each dot is one query. Box: p25 to p75; thick line: p50; ticks: p95 and p99;"
        + " whiskers: min to max. Log scale.</p>\n");
    distributions(sb, ok);
    sb.append("</body>\n</html>\n");
    return sb.toString();
  }

  private static void table(StringBuilder sb, EvalReport report) {
    boolean cost = Reports.hasCost(report);
    int k = report.k();
    sb.append("<table>\n<tr><th>reranker</th><th class=\"n\">nDCG@").append(k).append("</th><th class=\"n\">MRR@")
        .append(k).append("</th><th class=\"n\">MAP</th><th class=\"n\">Recall@").append(report.depth())
        .append("</th><th class=\"n\">p50 ms</th><th class=\"n\">p95 ms</th><th class=\"n\">p99 ms</th>")
        .append("<th class=\"n\">docs/s</th><th class=\"n\">queries</th>");
    if (cost) {
      sb.append("<th class=\"n\">usage/query</th><th class=\"n\">cost/1k queries</th>");
    }
    sb.append("</tr>\n");
    for (int i = 0; i < report.rows().size(); i++) {
      ReportRow r = report.rows().get(i);
      sb.append("<tr><td class=\"s\"><span style=\"color:").append(color(i)).append("\">&#9679;</span> ")
          .append(esc(r.spec())).append("</td>");
      if (r.failed()) {
        sb.append("<td class=\"err\" colspan=\"").append(cost ? 11 : 9).append("\">failed: ")
            .append(esc(r.error())).append("</td></tr>\n");
        continue;
      }
      cell(sb, Reports.fmt(r.ndcg(), 4));
      cell(sb, Reports.fmt(r.mrr(), 4));
      cell(sb, Reports.fmt(r.map(), 4));
      cell(sb, Reports.fmt(r.recall(), 4));
      cell(sb, Reports.fmt(r.latency().percentile(50), 2));
      cell(sb, Reports.fmt(r.latency().percentile(95), 2));
      cell(sb, Reports.fmt(r.latency().percentile(99), 2));
      cell(sb, r.docsPerSecond() == null ? "-" : Reports.fmt(r.docsPerSecond(), 0));
      cell(sb, Integer.toString(r.queries()));
      if (cost) {
        sb.append("<td class=\"n\">").append(esc(Reports.usage(r.usagePerQuery())).replace(", ", "<br>")).append("</td>");
        cell(sb, r.costPer1000Queries() == null ? "-" : Reports.fmt(r.costPer1000Queries(), 4));
      }
      sb.append("</tr>\n");
    }
    sb.append("</table>\n");
  }

  private static void cell(StringBuilder sb, String v) {
    sb.append("<td class=\"n\">").append(esc(v)).append("</td>");
  }

  private static void scatter(StringBuilder sb, List<ReportRow> rows, int k) {
    int w = 760;
    int h = 420;
    int left = 60;
    int right = 220;
    int top = 20;
    int bottom = 50;
    if (rows.isEmpty()) {
      sb.append("<p>No successful run to plot.</p>\n");
      return;
    }
    double xmin = Double.MAX_VALUE;
    double xmax = -Double.MAX_VALUE;
    double ymin = Double.MAX_VALUE;
    double ymax = -Double.MAX_VALUE;
    for (ReportRow r : rows) {
      double x = Math.log10(Math.max(MIN_MS, r.latency().percentile(50)));
      xmin = Math.min(xmin, x);
      xmax = Math.max(xmax, x);
      ymin = Math.min(ymin, r.ndcg());
      ymax = Math.max(ymax, r.ndcg());
    }
    xmin = Math.floor(xmin);
    xmax = Math.max(Math.ceil(xmax), xmin + 1);
    ymin = Math.max(0, Math.floor(ymin * 10 - 0.5) / 10);
    ymax = Math.min(1, Math.ceil(ymax * 10 + 0.5) / 10);
    if (ymax <= ymin) {
      ymax = Math.min(1, ymin + 0.1);
      ymin = ymax - 0.1;
    }
    Axis ax = new Axis(left, w - right, xmin, xmax);
    Axis ay = new Axis(h - bottom, top, ymin, ymax);
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
        .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" role=\"img\" aria-label=\"quality vs latency\">\n");
    for (double y = ymin; y <= ymax + 1e-9; y += 0.1) {
      double py = ay.px(y);
      line(sb, "grid", left, py, w - right, py);
      text(sb, left - 8, py + 4, "end", f(y, 1));
    }
    for (int e = (int) xmin; e <= (int) xmax; e++) {
      double px = ax.px(e);
      line(sb, "grid", px, top, px, h - bottom);
      text(sb, px, h - bottom + 18, "middle", tick(e));
    }
    line(sb, "axis", left, h - bottom, w - right, h - bottom);
    line(sb, "axis", left, top, left, h - bottom);
    text(sb, (left + w - right) / 2.0, h - 10, "middle", "median latency per query (ms, log scale)");
    sb.append("<text transform=\"translate(16,").append(f((top + h - bottom) / 2.0, 1))
        .append(") rotate(-90)\" text-anchor=\"middle\">nDCG@").append(k).append("</text>\n");
    for (int i = 0; i < rows.size(); i++) {
      ReportRow r = rows.get(i);
      double px = ax.px(Math.log10(Math.max(MIN_MS, r.latency().percentile(50))));
      double py = ay.px(r.ndcg());
      sb.append("<circle cx=\"").append(f(px, 1)).append("\" cy=\"").append(f(py, 1)).append("\" r=\"6\" fill=\"")
          .append(color(i)).append("\"><title>").append(esc(r.spec())).append(": nDCG@").append(k).append(' ')
          .append(f(r.ndcg(), 4)).append(", p50 ").append(ms(r.latency().percentile(50))).append(" ms</title></circle>\n");
      text(sb, px + 9, py + 4, "start", abbreviate(r.spec(), 28));
    }
    sb.append("</svg>\n");
  }

  private static void distributions(StringBuilder sb, List<ReportRow> rows) {
    if (rows.isEmpty()) {
      sb.append("<p>No successful run to plot.</p>\n");
      return;
    }
    int rowH = 44;
    int left = 200;
    int right = 30;
    int w = 760;
    int top = 10;
    int h = top + rows.size() * rowH + 40;
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (ReportRow r : rows) {
      double[] ms = r.latency().sortedMillis();
      if (ms.length > 0) {
        lo = Math.min(lo, Math.log10(Math.max(MIN_MS, ms[0])));
        hi = Math.max(hi, Math.log10(Math.max(MIN_MS, ms[ms.length - 1])));
      }
    }
    if (lo == Double.MAX_VALUE) {
      lo = 0;
      hi = 1;
    }
    lo = Math.floor(lo);
    hi = Math.max(Math.ceil(hi), lo + 1);
    Axis ax = new Axis(left, w - right, lo, hi);
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
        .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" role=\"img\" aria-label=\"latency distributions\">\n");
    int axisY = top + rows.size() * rowH;
    for (int e = (int) lo; e <= (int) hi; e++) {
      double px = ax.px(e);
      line(sb, "grid", px, top, px, axisY);
      text(sb, px, axisY + 18, "middle", tick(e));
    }
    line(sb, "axis", left, axisY, w - right, axisY);
    text(sb, (left + w - right) / 2.0, h - 6, "middle", "latency per query (ms, log scale)");
    for (int i = 0; i < rows.size(); i++) {
      ReportRow r = rows.get(i);
      LatencyStats l = r.latency();
      double[] ms = l.sortedMillis();
      double cy = top + i * rowH + rowH / 2.0;
      String c = color(i);
      text(sb, left - 10, cy + 4, "end", abbreviate(r.spec(), 26));
      if (ms.length == 0) {
        continue;
      }
      int step = Math.max(1, ms.length / MAX_DOTS);
      for (int j = 0; j < ms.length; j += step) {
        double jitter = ((j * 7919L) % 17 - 8) * 0.9;
        sb.append("<circle cx=\"").append(f(x(ax, ms[j]), 1)).append("\" cy=\"").append(f(cy + jitter, 1))
            .append("\" r=\"1.8\" fill=\"").append(c).append("\" fill-opacity=\"0.35\"/>\n");
      }
      double p25 = x(ax, l.percentile(25));
      double p75 = x(ax, l.percentile(75));
      line(sb, null, x(ax, ms[0]), cy, p25, cy, c);
      line(sb, null, p75, cy, x(ax, ms[ms.length - 1]), cy, c);
      sb.append("<rect x=\"").append(f(p25, 1)).append("\" y=\"").append(f(cy - 9, 1)).append("\" width=\"")
          .append(f(Math.max(1, p75 - p25), 1)).append("\" height=\"18\" fill=\"").append(c)
          .append("\" fill-opacity=\"0.25\" stroke=\"").append(c).append("\"/>\n");
      double p50 = x(ax, l.percentile(50));
      sb.append("<line x1=\"").append(f(p50, 1)).append("\" y1=\"").append(f(cy - 11, 1)).append("\" x2=\"")
          .append(f(p50, 1)).append("\" y2=\"").append(f(cy + 11, 1)).append("\" stroke=\"").append(c)
          .append("\" stroke-width=\"3\"><title>p50 ").append(ms(l.percentile(50))).append(" ms</title></line>\n");
      for (int p : new int[] {95, 99}) {
        double px = x(ax, l.percentile(p));
        sb.append("<line x1=\"").append(f(px, 1)).append("\" y1=\"").append(f(cy - 7, 1)).append("\" x2=\"")
            .append(f(px, 1)).append("\" y2=\"").append(f(cy + 7, 1)).append("\" stroke=\"#333\"><title>p")
            .append(p).append(' ').append(ms(l.percentile(p))).append(" ms</title></line>\n");
        text(sb, px, p == 95 ? cy - 12 : cy + 20, "middle", "p" + p);
      }
    }
    sb.append("</svg>\n");
  }

  private static double x(Axis ax, double millis) {
    return ax.px(Math.log10(Math.max(MIN_MS, millis)));
  }

  /** A linear map from data to pixels. */
  private record Axis(double p0, double p1, double d0, double d1) {
    double px(double v) {
      return p0 + (v - d0) / (d1 - d0) * (p1 - p0);
    }
  }

  private static void line(StringBuilder sb, String cls, double x1, double y1, double x2, double y2) {
    line(sb, cls, x1, y1, x2, y2, null);
  }

  private static void line(StringBuilder sb, String cls, double x1, double y1, double x2, double y2, String stroke) {
    sb.append("<line");
    if (cls != null) {
      sb.append(" class=\"").append(cls).append('"');
    }
    sb.append(" x1=\"").append(f(x1, 1)).append("\" y1=\"").append(f(y1, 1)).append("\" x2=\"").append(f(x2, 1))
        .append("\" y2=\"").append(f(y2, 1)).append('"');
    if (stroke != null) {
      sb.append(" stroke=\"").append(stroke).append('"');
    } else if (cls != null && cls.equals("grid")) {
      sb.append(" stroke=\"#eee\"");
    } else {
      sb.append(" stroke=\"#999\"");
    }
    sb.append("/>\n");
  }

  private static void text(StringBuilder sb, double x, double y, String anchor, String s) {
    sb.append("<text x=\"").append(f(x, 1)).append("\" y=\"").append(f(y, 1)).append("\" text-anchor=\"")
        .append(anchor).append("\">").append(esc(s)).append("</text>\n");
  }

  private static String color(int i) {
    return PALETTE[i % PALETTE.length];
  }

  /** A power-of-ten tick label: 0.01, 0.1, 1, 10, 100, ... */
  private static String tick(int exponent) {
    return java.math.BigDecimal.ONE.scaleByPowerOfTen(exponent).toPlainString();
  }

  private static String ms(double v) {
    if (v >= 100) {
      return f(v, 0);
    }
    if (v >= 1) {
      return f(v, v >= 10 ? 1 : 2);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  private static String f(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
