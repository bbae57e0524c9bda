package dev.rerankers.monovlm.testing;

import dev.rerankers.testing.TestFiles;
import java.nio.file.Path;
import java.util.Map;

/**
 * The fixture made by src/test/python/make_monovlm_fixture.py (src/test/resources/monovlm): a tiny
 * Qwen2-VL, a LoRA adapter on it, test images and what transformers and Python rerankers computed.
 */
public final class Fixture {
  private Fixture() {}

  /** The fixture folder. */
  public static Path dir() {
    return TestFiles.resource("monovlm");
  }

  /** expected.json. */
  public static Map<String, Object> expected() {
    return TestFiles.json(dir().resolve("expected.json"));
  }
}
