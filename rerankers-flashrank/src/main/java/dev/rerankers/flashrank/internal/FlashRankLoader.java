package dev.rerankers.flashrank.internal;

import dev.rerankers.ConfigException;
import dev.rerankers.ModelLoadException;
import dev.rerankers.RerankerInfo;
import dev.rerankers.RerankerSpec;
import dev.rerankers.flashrank.FlashRankCatalog;
import dev.rerankers.flashrank.FlashRankModel;
import dev.rerankers.flashrank.FlashRankProvider;
import dev.rerankers.hub.HubClient;
import dev.rerankers.hub.HubRepo;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.tokenizers.HfTokenizer;
import dev.rerankers.tokenizers.TokenizerConfig;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loads type {@code flashrank}: a FlashRank catalogue model by name (its zip fetched from {@value
 * FlashRankCatalog#REPO} through the Hub client and cache, unpacked once), or a local folder
 * holding an unpacked FlashRank model. Tokenization and scores follow FlashRank's {@code
 * Ranker}: truncation to {@code min(model_max_length, maxLength)} with {@code maxLength} 512 by
 * default, segment ids fed where the graph takes them, sigmoid of one logit or softmax column 1 of
 * two.
 */
public final class FlashRankLoader {
  private static final System.Logger LOG = System.getLogger(FlashRankLoader.class.getName());

  /** FlashRank's {@code max_length} default. */
  public static final int DEFAULT_MAX_LENGTH = 512;

  private FlashRankLoader() {}

  /** The scorer for a resolved spec, downloading with a Hub client configured like the core's. */
  public static CrossEncoderScorer load(RerankerSpec spec) {
    return load(spec, HubClient.fromEnvironment());
  }

  /**
   * The scorer for a resolved spec, downloading with {@code hub} (the spec's {@code cacheDir},
   * {@code hfToken} and {@code offline} options override the client's).
   */
  public static CrossEncoderScorer load(RerankerSpec spec, HubClient hub) {
    String name = spec.model();
    Path local = ModelSource.localFolder(name);
    Path dir;
    Path onnx;
    if (local != null) {
      dir = local.toAbsolutePath().normalize();
      onnx = localOnnx(dir, spec);
    } else {
      FlashRankModel entry = catalogueEntry(name);
      if (spec.option(FlashRankProvider.FILE).isPresent()) {
        throw new ConfigException("option file applies to local FlashRank folders; catalogue model " + name
            + " always runs " + entry.file());
      }
      HubRepo repo = repo(spec, hub);
      Path zip = repo.file(entry.zipFile());
      Path unpacked = Unpacked.folder(CacheDirs.root(spec).resolve("flashrank"),
          name + "-" + Unpacked.contentKey(zip), tmp -> SafeUnzip.extract(zip, tmp, SafeUnzip.Limits.DEFAULT));
      dir = Files.isDirectory(unpacked.resolve(name)) ? unpacked.resolve(name) : unpacked;
      onnx = dir.resolve(entry.file());
      if (!Files.isRegularFile(onnx)) {
        throw new ModelLoadException(entry.zipFile() + " from " + FlashRankCatalog.REPO + " has no " + name + "/"
            + entry.file() + " (unpacked in " + unpacked + ": " + list(dir) + ")");
      }
    }
    return create(spec, ModelSource.local(dir), onnx);
  }

  /** A catalogue entry FlashRank runs with ONNX Runtime, or a clear refusal. */
  static FlashRankModel catalogueEntry(String name) {
    FlashRankModel entry = FlashRankCatalog.find(name).orElseThrow(() -> new ConfigException(
        "'" + name + "' is not a FlashRank model; the catalogue has " + FlashRankCatalog.names()
            + ". For another ONNX cross-encoder use the type onnx-cross-encoder (a Hub repo or a local folder)"));
    if (entry.runtime() == FlashRankModel.Runtime.LLAMA_CPP) {
      throw new ConfigException("FlashRank model " + name + " is a listwise LLM (" + entry.file()
          + ") that FlashRank runs with llama.cpp, which this ONNX Runtime backend does not include;"
          + " use a pairwise FlashRank model (" + String.join(", ", FlashRankCatalog.models().stream()
              .filter(m -> m.runtime() == FlashRankModel.Runtime.ONNX).map(FlashRankModel::name).toList())
          + ") or a listwise ranker of rerankers-api (rankgpt over an OpenAI-compatible server)");
    }
    return entry;
  }

  private static HubRepo repo(RerankerSpec spec, HubClient hub) {
    HubClient.Builder b = hub.toBuilder();
    spec.option(RerankerSpec.CACHE_DIR).ifPresent(d -> b.cacheDir(Path.of(d.strip())));
    spec.option(RerankerSpec.HF_TOKEN).ifPresent(b::token);
    if (spec.option(RerankerSpec.OFFLINE).isPresent()) {
      b.offline(spec.booleanOption(RerankerSpec.OFFLINE, false));
    }
    String revision = spec.option(RerankerSpec.REVISION).map(String::strip).orElse("main");
    return b.build().model(FlashRankCatalog.REPO, revision);
  }

  /** The model file of an unpacked FlashRank folder. */
  private static Path localOnnx(Path dir, RerankerSpec spec) {
    Optional<String> file = spec.option(FlashRankProvider.FILE);
    if (file.isPresent()) {
      return Loading.onnxFile(ModelSource.local(dir), file);
    }
    Optional<FlashRankModel> named = FlashRankCatalog.find(dir.getFileName().toString());
    if (named.isPresent() && named.get().runtime() == FlashRankModel.Runtime.ONNX
        && Files.isRegularFile(dir.resolve(named.get().file()))) {
      return dir.resolve(named.get().file());
    }
    return Loading.onnxFile(ModelSource.local(dir), Optional.empty());
  }

  static CrossEncoderScorer create(RerankerSpec spec, ModelSource source, Path onnx) {
    OnnxOptions options = OnnxOptions.of(spec);
    int batchSize = Loading.batchSize(spec);
    boolean sorted = Loading.sortByLength(spec);
    String label = "flashrank:" + spec.model();
    ModelConfig config = ModelConfig.read(source.optionalFile("config.json").orElse(null));
    TokenizerConfig tc = Loading.tokenizerConfig(source);
    int requested = Loading.maxLengthOption(spec).orElse(DEFAULT_MAX_LENGTH);
    int wanted = tc.maxLength().isPresent() ? Math.min(tc.maxLength().getAsInt(), requested) : requested;
    int maxLength = Loading.capToModel(wanted, config, label);
    HfTokenizer tokenizer = Loading.tokenizer(source, maxLength);
    OnnxModel model;
    try {
      model = OnnxModel.load(onnx, options, label);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
    Map<String, String> details = Loading.details(onnx, model, options, maxLength, batchSize, sorted);
    details.put("score", ScoreRule.FLASHRANK.description());
    details.put("folder", source.id());
    LOG.log(Level.DEBUG, "{0}: {1}", label, details);
    RerankerInfo info = new RerankerInfo("flashrank", spec.model(), FlashRankProvider.NAME, options.deviceLabel(),
        Loading.dtypeOf(onnx), details);
    return new CrossEncoderScorer(info, tokenizer, model, config, ScoreRule.FLASHRANK, batchSize, sorted);
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
