package dev.rerankers.bench;

import dev.rerankers.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The measurements behind docs/benchmarks.md, by row id ({@code docs/benchmarks.json}): a run of some
 * rows replaces theirs and keeps the others.
 *
 * @param rows row id → its entry (shape, both sides' results, load, machine, threads, command)
 */
record Results(Map<String, Object> rows) {

  static Results read(Path file) throws IOException {
    Map<String, Object> rows = new LinkedHashMap<>();
    if (Files.isRegularFile(file)) {
      Map<String, Object> m = JsonOut.map(Json.parse(Files.readString(file, StandardCharsets.UTF_8)));
      rows.putAll(JsonOut.map(m.get("rows")));
    }
    return new Results(rows);
  }

  void write(Path file) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rows", rows);
    Files.writeString(file, JsonOut.write(m) + "\n", StandardCharsets.UTF_8);
  }
}
