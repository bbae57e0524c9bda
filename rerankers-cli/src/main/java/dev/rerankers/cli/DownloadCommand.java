package dev.rerankers.cli;

import dev.rerankers.Reranker;
import dev.rerankers.RerankerException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.cli.eval.Progress;
import dev.rerankers.hub.ModelSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code rerankers download}: pre-fetches a model's files into the Hub cache. */
@Command(
    name = "download",
    mixinStandardHelpOptions = true,
    header = "Pre-fetch a model into the Hugging Face cache.",
    description = {
      "Pre-fetches a model's files into the Hugging Face cache (shared with Python's huggingface_hub), so later"
          + " loads run offline. The spec's revision, hfToken and cacheDir options apply.",
      "Hosted API rankers and local folders need no download."
    })
final class DownloadCommand implements Callable<Integer> {

  @ParentCommand RerankersCli parent;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SPEC", description = "A config string, e.g. cross-encoder or BAAI/bge-reranker-base?revision=main.")
  String configString;

  @Option(names = "--include", paramLabel = "GLOB",
      description = "Fetch only files matching this glob (repeatable), e.g. '*.json' or 'onnx/*'. Default: every file.")
  List<String> include = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "GLOB", description = "Skip files matching this glob (repeatable).")
  List<String> exclude = new ArrayList<>();

  @Option(names = "--dry-run", description = "List the files that would be fetched; fetch nothing.")
  boolean dryRun;

  @Option(names = "--progress", negatable = true, description = "Show a progress bar (default: when on a terminal).")
  Boolean progress;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    RerankerSpec resolved = Reranker.resolve(configString);
    if (resolved.backend().filter("api"::equals).isPresent() || resolved.apiProvider().isPresent()) {
      out.println(resolved.type() + ":" + resolved.model() + " is served by a hosted API; nothing to download.");
      return 0;
    }
    ModelSource source = ModelSource.of(resolved);
    List<String> files = select(source.files());
    if (source.isLocal()) {
      out.println(source.id() + " is a local folder; nothing to download. Files:");
      files.forEach(f -> out.println("  " + f));
      return 0;
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(
          source.id() + " has no file matching --include " + include + " --exclude " + exclude);
    }
    if (dryRun) {
      out.println(source.id() + ": " + files.size() + " files would be fetched:");
      files.forEach(f -> out.println("  " + f));
      return 0;
    }
    long bytes = 0;
    Path any = null;
    Progress.Factory bars = parent.progress(progress);
    try (Progress bar = bars.start("download " + source.id(), files.size())) {
      for (String f : files) {
        Path p = source.file(f);
        any = p;
        bytes += size(p);
        out.println(f + "\t" + p);
        bar.step();
      }
    }
    spec.commandLine().getErr().printf(Locale.ROOT, "%s: %d files, %.1f MB in the cache%s%n",
        source.id(), files.size(), bytes / 1e6, any == null ? "" : " (" + any.getParent() + ")");
    return 0;
  }

  private List<String> select(List<String> all) {
    List<PathMatcher> in = matchers(include);
    List<PathMatcher> ex = matchers(exclude);
    List<String> out = new ArrayList<>();
    for (String f : all) {
      Path p = Path.of(f);
      boolean included = in.isEmpty() || in.stream().anyMatch(m -> m.matches(p));
      boolean excluded = ex.stream().anyMatch(m -> m.matches(p));
      if (included && !excluded) {
        out.add(f);
      }
    }
    return out;
  }

  private static List<PathMatcher> matchers(List<String> globs) {
    List<PathMatcher> out = new ArrayList<>();
    for (String g : globs) {
      try {
        out.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + g + "' is not a valid glob: " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new RerankerException("cannot read the size of " + p + ": " + e.getMessage(), e);
    }
  }
}
