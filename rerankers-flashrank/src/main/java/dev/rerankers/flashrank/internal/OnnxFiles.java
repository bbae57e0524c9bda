package dev.rerankers.flashrank.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.hub.ModelSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Which {@code .onnx} file of a model to run, and what its name says about its precision. */
final class OnnxFiles {
  /** The ONNX files tried, in order, when no {@code file} option names one. */
  static final List<String> PREFERRED = List.of("onnx/model.onnx", "model.onnx");

  private OnnxFiles() {}

  /**
   * The ONNX file: {@code chosen} (the {@code file} option, already checked to end in .onnx), else
   * {@code onnx/model.onnx}, else {@code model.onnx}, else the only .onnx file; external-data files
   * beside it are fetched too.
   */
  static Path choose(ModelSource source, Optional<String> file) {
    String chosen = file.orElse(null);
    if (chosen == null) {
      for (String p : PREFERRED) {
        if (source.optionalFile(p).isPresent()) {
          chosen = p;
          break;
        }
      }
    }
    if (chosen == null) {
      List<String> all = list(source);
      if (all.size() == 1) {
        chosen = all.get(0);
      } else if (all.isEmpty()) {
        throw new ModelLoadException(source.id() + " has no .onnx file (files: " + abbreviate(source.files())
            + "); export one (e.g. optimum-cli export onnx) or use a PyTorch backend");
      } else {
        throw new ModelLoadException(source.id() + " has several .onnx files: " + String.join(", ", all)
            + "; pick one with the option file=<path>");
      }
    }
    Path p;
    try {
      p = source.file(chosen);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("option file: " + e.getMessage(), e);
    } catch (ModelLoadException e) {
      List<String> all = list(source);
      throw new ModelLoadException(e.getMessage() + (all.isEmpty() ? "" : "; its .onnx files: " + String.join(", ", all)), e);
    }
    source.optionalFile(chosen + "_data");
    source.optionalFile(chosen + ".data");
    return p;
  }

  /** A dtype label from the file name (quantized and fp16 exports say so in their names). */
  static String dtypeOf(Path onnx) {
    String n = onnx.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.contains("fp16") || n.contains("float16")) {
      return "fp16";
    }
    if (n.contains("quant") || n.contains("int8") || n.contains("_q.") || n.contains("-q.") || n.contains("_q4")) {
      return "int8";
    }
    return "fp32";
  }

  private static List<String> list(ModelSource source) {
    List<String> out = new ArrayList<>();
    for (String f : source.files()) {
      if (f.endsWith(".onnx")) {
        out.add(f);
      }
    }
    return out;
  }

  private static String abbreviate(List<String> files) {
    return files.size() <= 20 ? String.join(", ", files) : String.join(", ", files.subList(0, 20)) + ", ...";
  }
}
