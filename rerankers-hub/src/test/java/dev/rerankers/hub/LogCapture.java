package dev.rerankers.hub;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures every record logged under {@code dev.rerankers.hub} (System.Logger goes to
 * java.util.logging when no other backend is installed), at all levels, fully formatted
 * (parameters and stack traces included).
 */
final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger = Logger.getLogger("dev.rerankers.hub");
  private final Level previous;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final SimpleFormatter formatter = new SimpleFormatter();

  LogCapture() {
    previous = logger.getLevel();
    setLevel(Level.ALL);
    logger.setLevel(Level.ALL);
    logger.addHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
    lines.add(formatter.format(record));
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  List<LogRecord> records() {
    return List.copyOf(records);
  }

  String all() {
    return String.join("", lines);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(previous);
  }
}
