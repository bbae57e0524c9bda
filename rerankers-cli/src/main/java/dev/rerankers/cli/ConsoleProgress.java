package dev.rerankers.cli;

import dev.rerankers.cli.eval.Progress;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars with elapsed time and ETA (me.tongfei:progressbar), drawn on the error stream so
 * results on standard output stay clean.
 */
final class ConsoleProgress implements Progress.Factory {
  private final PrintStream stream;

  ConsoleProgress(PrintStream stream) {
    this.stream = stream;
  }

  @Override
  public Progress start(String task, long total) {
    ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(task.length() > 40 ? task.substring(0, 39) + "…" : task)
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .setConsumer(new ConsoleProgressBarConsumer(stream))
        .build();
    return new Progress() {
      @Override
      public void step() {
        bar.step();
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }
}
