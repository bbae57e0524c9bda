package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LoggingProgressListenerTest {
  /** A System.Logger that keeps INFO lines. */
  static final class Recorder implements System.Logger {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public String getName() {
      return "test";
    }

    @Override
    public boolean isLoggable(Level level) {
      return level.getSeverity() >= Level.INFO.getSeverity();
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      lines.add(msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(format);
    }

    @Override
    public void log(Level level, Supplier<String> msgSupplier) {
      lines.add(msgSupplier.get());
    }
  }

  @Test
  void logs_at_most_once_a_second_per_file_and_once_when_done() {
    Recorder log = new Recorder();
    AtomicLong now = new AtomicLong(0);
    LoggingProgressListener listener = new LoggingProgressListener(log, now::get);
    long total = 100_000_000;
    // 50 updates over 2.45 s of simulated time, 50 ms apart
    for (int i = 0; i < 50; i++) {
      now.set(TimeUnit.MILLISECONDS.toNanos(50L * i));
      listener.onProgress(new DownloadProgress("org/m", "model.safetensors", i * 1_000_000L, total, 0, Duration.ofMillis(50L * i), false));
    }
    assertThat(log.lines).hasSize(2); // at 1.0 s and 2.0 s
    assertThat(log.lines.get(0))
        .isEqualTo("org/m: downloading model.safetensors 20.0 MB of 100 MB (20.0%), 20.0 MB/s, ETA 4.0 s");
    listener.onProgress(new DownloadProgress("org/m", "model.safetensors", total, total, 0, Duration.ofSeconds(5), true));
    assertThat(log.lines).hasSize(3);
    assertThat(log.lines.get(2)).isEqualTo("org/m: downloaded model.safetensors (100 MB) in 5.0 s");
  }

  @Test
  void quick_files_log_only_their_final_line() {
    Recorder log = new Recorder();
    AtomicLong now = new AtomicLong(0);
    LoggingProgressListener listener = new LoggingProgressListener(log, now::get);
    listener.onProgress(new DownloadProgress("org/m", "config.json", 0, 700, 0, Duration.ZERO, false));
    now.set(TimeUnit.MILLISECONDS.toNanos(20));
    listener.onProgress(new DownloadProgress("org/m", "config.json", 700, 700, 0, Duration.ofMillis(20), true));
    assertThat(log.lines).containsExactly("org/m: downloaded config.json (700 B) in 0.0 s");
  }

  @Test
  void progress_values_rate_and_eta() {
    DownloadProgress p = new DownloadProgress("o/m", "f", 6_000, 10_000, 2_000, Duration.ofSeconds(2), false);
    assertThat(p.bytesPerSecond()).isEqualTo(2000.0); // resumed bytes are not part of the rate
    assertThat(p.fraction()).isEqualTo(0.6);
    assertThat(p.eta()).contains(Duration.ofSeconds(2));
    assertThat(new DownloadProgress("o/m", "f", 10, -1, 0, Duration.ofSeconds(1), false).eta()).isEmpty();
    assertThat(new DownloadProgress("o/m", "f", 10, -1, 0, Duration.ofSeconds(1), false).fraction()).isEqualTo(-1);
    assertThat(LoggingProgressListener.size(1_234_567_890L)).isEqualTo("1.23 GB");
    assertThat(LoggingProgressListener.duration(Duration.ofSeconds(3725))).isEqualTo("1 h 02 min");
  }
}
