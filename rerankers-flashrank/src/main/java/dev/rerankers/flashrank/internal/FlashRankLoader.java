package dev.rerankers.flashrank.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerSpec;
import dev.rerankers.flashrank.FlashRankModel;
import dev.rerankers.flashrank.FlashRankModels;
import dev.rerankers.hub.HubClient;
import dev.rerankers.hub.HubRepo;
import dev.rerankers.hub.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loads type {@code flashrank}: a FlashRank catalogue model by name (its zip fetched from {@value
 * FlashRankModels#REPO} through the Hub client and cache, unpacked once), or a local folder
 * holding an unpacked FlashRank model, then scores it on the one ONNX cross-encoder path ({@link
 * OnnxCrossEncoderLoader#create}) with FlashRank's settings: truncation to {@code
 * min(model_max_length, maxLength)} with {@code maxLength} 512 by default, sigmoid of one logit or
 * softmax column 1 of two.
 */
public final class FlashRankLoader {
  private FlashRankLoader() {}

  /** The scorer for a resolved spec, downloading with a Hub client configured like the core's. */
  public static OnnxCrossEncoderScorer load(RerankerSpec spec, FlashRankSettings settings) {
    return load(spec, settings, HubClient.fromEnvironment());
  }

  /**
   * The scorer for a resolved spec, downloading with {@code hub} (the settings' {@code cacheDir},
   * {@code hfToken}, {@code offline} and {@code allowInsecure} override the client's).
   */
  public static OnnxCrossEncoderScorer load(RerankerSpec spec, FlashRankSettings settings, HubClient hub) {
    String name = spec.model();
    Optional<String> file = settings.crossEncoder().encoder().file();
    Path local = ModelSource.localFolder(name);
    Path dir;
    Path onnx;
    if (local != null) {
      dir = local.toAbsolutePath().normalize();
      onnx = localOnnx(dir, file);
    } else {
      FlashRankModel entry = catalogueEntry(name);
      if (file.isPresent()) {
        throw new ConfigException("option file applies to local FlashRank folders; catalogue model " + name
            + " always runs " + entry.file());
      }
      HubRepo repo = repo(settings, hub);
      Path zip = repo.file(entry.zipFile());
      Path unpacked = Unpacked.folder(CacheDirs.root(settings.extractDir()).resolve("flashrank"),
          name + "-" + Unpacked.contentKey(zip), tmp -> SafeUnzip.extract(zip, tmp, SafeUnzip.Limits.DEFAULT));
      dir = Files.isDirectory(unpacked.resolve(name)) ? unpacked.resolve(name) : unpacked;
      onnx = dir.resolve(entry.file());
      if (!Files.isRegularFile(onnx)) {
        throw new ModelLoadException(entry.zipFile() + " from " + FlashRankModels.REPO + " has no " + name + "/"
            + entry.file() + " (unpacked in " + unpacked + ": " + list(dir) + ")");
      }
    }
    ModelSource source = ModelSource.local(dir);
    ModelConfig config = ModelConfig.read(source.optionalFile("config.json").orElse(null));
    return OnnxCrossEncoderLoader.create(spec, source, onnx, config, settings.crossEncoder(),
        Map.of("folder", source.id()));
  }

  /** A catalogue entry FlashRank runs with ONNX Runtime, or a clear refusal. */
  static FlashRankModel catalogueEntry(String name) {
    FlashRankModel entry = FlashRankModels.find(name).orElseThrow(() -> new ConfigException(
        "'" + name + "' is not a FlashRank model; the catalogue has " + FlashRankModels.names()
            + ". For another ONNX cross-encoder use the type onnx-cross-encoder (a Hub repo or a local folder)"));
    if (entry.runtime() == FlashRankModel.Runtime.LLAMA_CPP) {
      throw new ConfigException("FlashRank model " + name + " is a listwise LLM (" + entry.file()
          + ") that FlashRank runs with llama.cpp, which this ONNX Runtime backend does not include;"
          + " use a pairwise FlashRank model (" + String.join(", ", FlashRankModels.all().stream()
              .filter(m -> m.runtime() == FlashRankModel.Runtime.ONNX).map(FlashRankModel::name).toList())
          + ") or a listwise ranker of rerankers-api (rankgpt over an OpenAI-compatible server)");
    }
    return entry;
  }

  private static HubRepo repo(FlashRankSettings settings, HubClient hub) {
    HubClient.Builder b = hub.toBuilder();
    settings.cacheDir().ifPresent(b::cacheDir);
    settings.hfToken().ifPresent(b::token);
    settings.offline().ifPresent(b::offline);
    settings.allowInsecure().ifPresent(b::allowInsecure);
    return b.build().model(FlashRankModels.REPO, settings.revision());
  }

  /** The model file of an unpacked FlashRank folder. */
  private static Path localOnnx(Path dir, Optional<String> file) {
    if (file.isPresent()) {
      return OnnxFiles.choose(ModelSource.local(dir), file);
    }
    Optional<FlashRankModel> named = FlashRankModels.find(dir.getFileName().toString());
    if (named.isPresent() && named.get().runtime() == FlashRankModel.Runtime.ONNX
        && Files.isRegularFile(dir.resolve(named.get().file()))) {
      return dir.resolve(named.get().file());
    }
    return OnnxFiles.choose(ModelSource.local(dir), Optional.empty());
  }

  private static String list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
      return String.join(", ", names);
    } catch (IOException e) {
      return "unreadable: " + e;
    }
  }
}
