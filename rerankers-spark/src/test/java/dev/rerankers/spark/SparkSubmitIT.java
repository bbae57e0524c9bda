package dev.rerankers.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.Reranker;
import dev.rerankers.json.Json;
import dev.rerankers.testing.TestFiles;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit jar (classifier {@code all}, built by the shade plugin in {@code package}) as a
 * cluster gets it: Spark's own {@code SparkSubmit} main, in a child JVM whose class path holds
 * Spark and its libraries but no rerankers class, no DJL, no ONNX Runtime, no okhttp, runs
 * RerankJob from the jar with the bundled dense model (ONNX) and the golden cross-encoder (DJL
 * PyTorch); scores equal the in-process ranker's. Also: the jar carries no Spark, Scala or SLF4J
 * class and relocates the libraries Spark ships in other versions; bin/rerankers-spark passes the
 * same JVM flags as the build. Runs after {@code package} (surefire execution spark-submit-it).
 */
class SparkSubmitIT {
  @TempDir Path dir;

  static Path allJar() {
    Path jar = Path.of(System.getProperty("rerankers.spark.allJar", "target/missing.jar"));
    assertThat(jar).as("the shaded jar (mvn package)").isRegularFile();
    return jar;
  }

  @Test
  void the_jar_carries_no_spark_scala_or_slf4j_and_relocates_the_conflicting_libraries() throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(allJar().toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        names.add(e.nextElement().getName());
      }
    }
    for (String forbidden : List.of("org/apache/spark/", "scala/", "org/slf4j/", "com/fasterxml/", "com/google/gson/",
        "okhttp3/", "okio/", "kotlin/", "org/apache/commons/compress/", "org/apache/commons/codec/")) {
      assertThat(names).as("entries under %s", forbidden).noneMatch(n -> n.startsWith(forbidden));
    }
    for (String present : List.of("dev/rerankers/spark/RerankJob.class", "dev/rerankers/shaded/jackson/databind/ObjectMapper.class",
        "dev/rerankers/shaded/okhttp3/OkHttpClient.class", "dev/rerankers/shaded/gson/Gson.class",
        "ai/onnxruntime/native/linux-x64/libonnxruntime.so", "META-INF/services/dev.rerankers.spi.RerankerProvider")) {
      assertThat(names).contains(present);
    }
    assertThat(names).noneMatch(n -> n.startsWith("ai/onnxruntime/native/osx-") || n.startsWith("ai/onnxruntime/native/win-"));
  }

  @Test
  void bin_rerankers_spark_passes_the_build_jvm_flags() throws IOException {
    String script = Files.readString(Path.of("..", "bin", "rerankers-spark"));
    String flags = System.getProperty("rerankers.spark.jvmFlags", "");
    assertThat(flags).isNotBlank();
    for (String flag : flags.trim().split("\\s+")) {
      assertThat(script).as("bin/rerankers-spark").contains(flag);
    }
  }

  /** The test class path without rerankers, its backends' libraries and the test tools: Spark as a cluster has it. */
  static String sparkOnlyClasspath() {
    List<String> out = new ArrayList<>();
    List<String> dropped = List.of("/dev/rerankers/", "/rerankers-", "/ai/djl/", "/com/microsoft/onnxruntime/",
        "/dev/langchain4j/", "/com/squareup/", "/org/jetbrains/", "/net/java/dev/jna/", "/info/picocli/",
        "/org/apache/lucene/", "/me/tongfei/", "/org/jline/", "/org/junit/", "/org/assertj/", "/com/tngtech/",
        "/org/opentest4j/", "/org/apiguardian/", "/net/bytebuddy/", "surefire");
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String e = entry.replace(File.separatorChar, '/');
      if (dropped.stream().noneMatch(e::contains)) {
        out.add(entry);
      }
    }
    assertThat(out).anyMatch(e -> e.contains("spark-core_2.13"));
    return String.join(File.pathSeparator, out);
  }

  /** Five sample queries, each with its judged documents and the first corpus documents: 5 x 8 pairs. */
  Path pairs() throws IOException {
    Path sample = Path.of("..", "examples", "datasets", "scifact-sample");
    List<Map<String, Object>> corpus = new ArrayList<>();
    for (String l : Files.readAllLines(sample.resolve("corpus.jsonl"))) {
      corpus.add(TestFiles.map(Json.parse(l)));
    }
    List<String> lines = new ArrayList<>();
    for (String l : Files.readAllLines(sample.resolve("queries.jsonl")).subList(0, 5)) {
      Map<String, Object> q = TestFiles.map(Json.parse(l));
      for (Map<String, Object> c : corpus.subList(0, 8)) {
        lines.add("{\"query_id\": " + Json.quote((String) q.get("_id")) + ", \"query\": " + Json.quote((String) q.get("text"))
            + ", \"doc_id\": " + Json.quote((String) c.get("_id")) + ", \"text\": "
            + Json.quote((c.get("title") + " " + c.get("text")).strip()) + "}");
      }
    }
    Path file = dir.resolve("pairs.jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void spark_submit_runs_the_job_from_the_jar_alone() throws Exception {
    Path input = pairs();
    String golden = "cross-encoder:" + TestFiles.resource("golden/bert");
    for (String model : List.of("dense", golden)) {
      Path out = dir.resolve("out-" + (model.equals("dense") ? "dense" : "golden"));
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(Arrays.asList(System.getProperty("rerankers.spark.jvmFlags").trim().split("\\s+")));
      cmd.addAll(List.of("-cp", sparkOnlyClasspath(), "org.apache.spark.deploy.SparkSubmit",
          "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
          "--conf", "spark.driver.bindAddress=127.0.0.1", "--class", "dev.rerankers.spark.RerankJob",
          allJar().toString(),
          "--model", model, "--input", input.toString(), "--output", out.toString(), "--output-format", "jsonl",
          "--qrels", Path.of("..", "examples", "datasets", "scifact-sample", "qrels", "test.tsv").toString()));
      Path log = Path.of("target", "spark-submit-" + out.getFileName() + ".log");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("spark-submit finished").isTrue();
      String printed = Files.readString(log);
      assertThat(p.exitValue()).as("spark-submit exit status; log in %s:%n%s", log, tail(printed)).isZero();
      assertThat(printed).contains("reranked 40 rows of 5 queries").contains("quality over 5 judged queries");

      Map<String, Double> scores = new HashMap<>();
      try (Stream<Path> parts = Files.list(out)) {
        for (Path part : parts.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
          for (String line : Files.readAllLines(part)) {
            Map<String, Object> row = TestFiles.map(Json.parse(line));
            scores.put(row.get("query_id") + "/" + row.get("doc_id"), ((Number) row.get("score")).doubleValue());
          }
        }
      }
      assertThat(scores).hasSize(40);
      double maxDiff = 0;
      try (Reranker local = Reranker.load(model)) {
        for (String line : Files.readAllLines(input)) {
          Map<String, Object> row = TestFiles.map(Json.parse(line));
          double expected = local.score((String) row.get("query"), (String) row.get("text"));
          maxDiff = Math.max(maxDiff, Math.abs(expected - scores.get(row.get("query_id") + "/" + row.get("doc_id"))));
        }
      }
      System.out.printf(Locale.ROOT, "spark-submit %s: 40 rows, max |Δ| vs in-process %.2e%n",
          model.equals("dense") ? "dense" : "golden cross-encoder", maxDiff);
      assertThat(maxDiff).isLessThanOrEqualTo(1e-6);
    }
  }

  static String tail(String s) {
    return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
