package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rerankers.json.Json;
import dev.rerankers.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Python {@code huggingface_hub} against this client, both ways, through the local fake Hub:
 * Python downloads and Java reads its cache offline; Java downloads and Python reads that cache
 * with {@code HF_HUB_OFFLINE=1} (including {@code snapshot_download} and {@code scan_cache_dir}).
 * Needs the workspace's {@code shared/tools/pyref} (a chroot with huggingface_hub, run as root);
 * skipped elsewhere. Slow (two Python runs): {@code -Pslow}.
 *
 * <p>With {@code -Drerankers.hub.writeFixture=true} it also refreshes {@code
 * src/test/resources/hub/python-cache.tar}, the cache Python wrote, which {@link
 * PythonCacheFixtureTest} reads in every build.
 */
@Tag("slow")
class PythonInteropTest {
  @TempDir Path tmp;

  @Test
  void python_and_java_read_each_others_cache() throws Exception {
    Path pyref = SharedData.root().map(r -> r.resolve("tools/pyref")).filter(Files::isExecutable).orElse(null);
    Assumptions.assumeTrue(pyref != null, "no shared/tools/pyref here");
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "pyref needs root");
    Path script = tmp.resolve("hub_interop.py");
    try (InputStream in = PythonInteropTest.class.getResourceAsStream("/hub/hub_interop.py")) {
      Files.copy(in, script);
    }
    try (FakeHub hub = InteropFixture.hub()) {
      // 1. Python fills a cache; Java reads it, offline and online with no request
      Path pyCache = tmp.resolve("py-cache");
      Map<?, ?> fill = run(pyref, script, "fill", hub.url(), pyCache.toString(), tmp.resolve("fill.json").toString());
      System.out.println("huggingface_hub " + fill.get("huggingface_hub") + " filled " + pyCache);
      assertThat(fill.get("absent_raised")).isEqualTo(Boolean.TRUE);
      hub.clearRequests();
      for (boolean offline : new boolean[] {true, false}) {
        HubClient java = HubClient.builder().endpoint(hub.url()).cacheDir(pyCache).offline(offline).build();
        HubRepo model = java.model(InteropFixture.MODEL);
        for (Map.Entry<String, byte[]> f : InteropFixture.modelFiles().entrySet()) {
          assertThat(Files.readAllBytes(model.file(f.getKey()))).as(f.getKey()).isEqualTo(f.getValue());
        }
        assertThat(model.optionalFile("tokenizer_config.json")).isEmpty();
        HubRepo data = java.dataset(InteropFixture.DATASET);
        for (Map.Entry<String, byte[]> f : InteropFixture.datasetFiles().entrySet()) {
          assertThat(Files.readAllBytes(data.file(f.getKey()))).as(f.getKey()).isEqualTo(f.getValue());
        }
        assertThat(model.commit()).isEqualTo(InteropFixture.MODEL_COMMIT);
      }
      assertThat(hub.requests()).isEmpty();
      if (Boolean.getBoolean("rerankers.hub.writeFixture")) {
        Path out = Path.of("src/test/resources/hub/python-cache.tar").toAbsolutePath();
        Process tar =
            new ProcessBuilder("tar", "--format=ustar", "--owner=0", "--group=0", "--numeric-owner", "--sort=name",
                    "--mtime=2026-01-01", "--exclude=.locks", "-C", pyCache.toString(), "-cf", out.toString(), ".")
                .inheritIO()
                .start();
        assertThat(tar.waitFor()).isZero();
        System.out.println("wrote " + out);
      }

      // 2. Java fills a cache; Python reads it offline
      Path javaCache = tmp.resolve("java-cache");
      HubClient java = HubClient.builder().endpoint(hub.url()).cacheDir(javaCache).build();
      HubRepo model = java.model(InteropFixture.MODEL);
      model.require(List.copyOf(InteropFixture.modelFiles().keySet()));
      assertThat(model.optionalFile("tokenizer_config.json")).isEmpty();
      java.dataset(InteropFixture.DATASET).require(List.copyOf(InteropFixture.datasetFiles().keySet()));
      Map<?, ?> read = run(pyref, script, "read", javaCache.toString(), tmp.resolve("read.json").toString());
      System.out.println("Python read the Java cache: " + Files.readString(tmp.resolve("read.json")));
      Map<?, ?> files = (Map<?, ?>) read.get("files");
      for (Map.Entry<String, byte[]> f : InteropFixture.modelFiles().entrySet()) {
        Map<?, ?> info = (Map<?, ?>) files.get(InteropFixture.MODEL + "/" + f.getKey());
        assertThat(info.get("sha256")).isEqualTo(FakeHub.hex("SHA-256", f.getValue()));
        assertThat(info.get("islink")).isEqualTo(Boolean.TRUE);
        assertThat(info.get("path"))
            .isEqualTo(javaCache.resolve("models--acme--interop-model/snapshots/" + InteropFixture.MODEL_COMMIT + "/" + f.getKey()).toString());
      }
      for (Map.Entry<String, byte[]> f : InteropFixture.datasetFiles().entrySet()) {
        Map<?, ?> info = (Map<?, ?>) files.get(InteropFixture.DATASET + "/" + f.getKey());
        assertThat(info.get("sha256")).isEqualTo(FakeHub.hex("SHA-256", f.getValue()));
      }
      assertThat(read.get("absent_cached")).isEqualTo(Boolean.TRUE);
      assertThat(read.get("model_snapshot")).isEqualTo(model.directory().toString());
      Map<?, ?> scan = (Map<?, ?>) read.get("scan");
      assertThat((List<?>) scan.get("warnings")).isEmpty();
      assertThat(scan.get("repos").toString())
          .contains("id=acme/interop-data, refs=[main], type=dataset")
          .contains("files=4, id=acme/interop-model, refs=[main], type=model");
    }
  }

  private static Map<?, ?> run(Path pyref, Path script, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(pyref.toString(), "run", script.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(script.getParent().toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("python output:\n" + output).isZero();
    return (Map<?, ?>) Json.parse(Files.readString(Path.of(args[args.length - 1])));
  }
}
