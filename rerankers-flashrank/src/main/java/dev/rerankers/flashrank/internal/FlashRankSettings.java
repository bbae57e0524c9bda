package dev.rerankers.flashrank.internal;

import dev.rerankers.Credentials;
import dev.rerankers.spi.CommonOptions;
import dev.rerankers.spi.OptionValues;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The settings of type {@code flashrank}: the cross-encoder's, where zips are unpacked, and what
 * the spec overrides of the Hub client that downloads them.
 *
 * @param crossEncoder scoring and truncation (FlashRank's)
 * @param extractDir the {@code extractDir} option
 * @param cacheDir the Hub cache folder, when set
 * @param hfToken the Hub token, when set (never shown by {@link #toString()})
 * @param offline the {@code offline} option, when set (else the client's own)
 * @param allowInsecure the {@code allowInsecure} option, when set (else the client's own)
 * @param revision the revision of the catalogue repository
 */
public record FlashRankSettings(
    OnnxCrossEncoderSettings crossEncoder,
    Optional<Path> extractDir,
    Optional<Path> cacheDir,
    Optional<String> hfToken,
    Optional<Boolean> offline,
    Optional<Boolean> allowInsecure,
    String revision) {

  /** The settings of a load. */
  public static FlashRankSettings of(OptionValues o) {
    return new FlashRankSettings(
        OnnxCrossEncoderSettings.flashRank(o),
        CacheDirs.extractDir(o),
        o.optional(CommonOptions.CACHE_DIR).map(Path::of),
        o.optional(CommonOptions.HF_TOKEN),
        o.isSet(CommonOptions.OFFLINE) ? Optional.of(o.get(CommonOptions.OFFLINE)) : Optional.empty(),
        o.isSet(CommonOptions.ALLOW_INSECURE) ? Optional.of(o.get(CommonOptions.ALLOW_INSECURE)) : Optional.empty(),
        o.get(CommonOptions.REVISION));
  }

  @Override
  public String toString() {
    return "FlashRankSettings[crossEncoder=" + crossEncoder + ", extractDir=" + extractDir + ", cacheDir=" + cacheDir
        + ", hfToken=" + hfToken.map(Credentials::mask).orElse("(none)") + ", offline=" + offline
        + ", allowInsecure=" + allowInsecure + ", revision=" + revision + "]";
  }
}
