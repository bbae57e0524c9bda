package dev.rerankers.spark;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of this module's tests: {@code local[2,3]} (two task threads, a task may
 * fail twice before the job does, so a retry can be observed), no UI, on the loopback address.
 * Shared by every test class in the surefire JVM; stopped at JVM exit by Spark's own hook.
 */
final class SparkTests {
  private static SparkSession session;

  private SparkTests() {}

  static synchronized SparkSession spark() {
    if (session == null) {
      Path warehouse = Path.of("target", "spark-warehouse").toAbsolutePath();
      session = SparkSession.builder()
          .appName("rerankers-spark-tests")
          .master("local[2,3]")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.sql.warehouse.dir", warehouse.toString())
          .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }
}
