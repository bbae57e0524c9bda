package dev.rerankers.tokenizers;

/**
 * Keeps DJL from calling home. DJL asks the EC2 metadata service, then a telemetry URL, the first
 * time one of its classes runs, unless {@code OPT_OUT_TRACKING} is set; rerankers runs offline and
 * never makes network calls it was not asked for. Every module that starts a DJL engine or
 * tokenizer (tokenizers, transformers, flashrank) calls {@link #optOut()} first.
 *
 * <p>Public so that those modules share the one rule; not meant for applications.
 */
public final class DjlTelemetry {
  private static final String OPT_OUT = "OPT_OUT_TRACKING";

  private DjlTelemetry() {}

  /**
   * Opts out of DJL telemetry unless the user already decided ({@code OPT_OUT_TRACKING} as an
   * environment variable or system property). Idempotent; call it before the first DJL class runs.
   */
  public static void optOut() {
    if (System.getenv(OPT_OUT) == null && System.getProperty(OPT_OUT) == null) {
      System.setProperty(OPT_OUT, "true");
    }
  }
}
