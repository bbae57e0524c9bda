package dev.rerankers.tokenizers;

/**
 * Settings applied before any DJL class runs. DJL "calls home" (asks the EC2 metadata service,
 * then a telemetry URL) on first use unless {@code OPT_OUT_TRACKING} is set; rerankers runs offline
 * and never makes network calls it was not asked for, so it opts out unless the user already
 * decided (environment variable or system property). Every module that starts a DJL engine (the
 * tokenizer here, ONNX Runtime and PyTorch sessions in the backends) calls {@link #apply()} first.
 */
public final class DjlSettings {
  private static final String OPT_OUT = "OPT_OUT_TRACKING";

  private DjlSettings() {}

  /** Opts out of DJL telemetry unless the user set {@code OPT_OUT_TRACKING} themselves. Idempotent. */
  public static void apply() {
    if (System.getenv(OPT_OUT) == null && System.getProperty(OPT_OUT) == null) {
      System.setProperty(OPT_OUT, "true");
    }
  }
}
