package dev.rerankers.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** RepoPaths, HubNames, Globs and UrlPaths: the rules every name from a caller or a server passes through. */
class NamesAndPathsTest {
  /** The library's own cache folder: RERANKERS_CACHE, else XDG_CACHE_HOME/rerankers, else ~/.cache/rerankers. */
  @Test
  void should_place_the_rerankers_cache_by_environment() {
    assertThat(RerankersCache.root(java.util.Map.of("RERANKERS_CACHE", " /r/c ", "XDG_CACHE_HOME", "/x"), "/home/u"))
        .isEqualTo(Path.of("/r/c"));
    assertThat(RerankersCache.root(java.util.Map.of("RERANKERS_CACHE", " ", "XDG_CACHE_HOME", "/x"), "/home/u"))
        .isEqualTo(Path.of("/x/rerankers"));
    assertThat(RerankersCache.root(java.util.Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.cache/rerankers"));
    assertThat(RerankersCache.root()).isAbsolute();
  }

  @Test
  void repository_paths() {
    for (String ok : new String[] {"config.json", "onnx/model.onnx", "1_Pooling/config.json", "model-00001-of-00002.safetensors",
        "docs/read me+[1].txt", "日本語/vocab.txt", "a...b", ".gitattributes"}) {
      assertThat(RepoPaths.isValid(ok)).as(ok).isTrue();
    }
    for (String bad : new String[] {"", "/etc/passwd", "../x", "a/../../b", "a/./b", "a//b", "a/", "..", "...", "c:/x",
        "dir\\x", "a\u0000b", "new\nline", "x".repeat(1025)}) {
      assertThat(RepoPaths.isValid(bad)).as(RepoPaths.printable(bad)).isFalse();
    }
    Path dir = Path.of("/cache/snap");
    assertThat(RepoPaths.resolveInside(dir, "onnx/model.onnx")).isEqualTo(Path.of("/cache/snap/onnx/model.onnx"));
    assertThatThrownBy(() -> RepoPaths.resolveInside(dir, "../x")).hasMessageContaining("refusing file name '../x'");
    assertThat(RepoPaths.printable("a\nb")).isEqualTo("a\\u000ab");
  }

  @Test
  void repo_ids_revisions_and_etags() {
    for (String ok : new String[] {"BAAI/bge-reranker-v2-m3", "cross-encoder/ms-marco-MiniLM-L-6-v2", "bert-base-uncased", "a/b.c_d"}) {
      assertThat(HubNames.isRepoId(ok)).as(ok).isTrue();
    }
    for (String bad : new String[] {"", "a/b/c", "/abs", "a--b/c", "a/..b", "-a/b", "a/b-", "a/b.git", "a b/c", "../x", "./models/x"}) {
      assertThat(HubNames.isRepoId(bad)).as(bad).isFalse();
    }
    assertThat(HubNames.checkRevision("refs/pr/1")).isEqualTo("refs/pr/1");
    assertThatThrownBy(() -> HubNames.checkRevision("../main")).hasMessageContaining("refusing revision");
    assertThat(HubNames.normalizeEtag("W/\"abc123\"")).isEqualTo("abc123");
    assertThat(HubNames.normalizeEtag("\"abc\"")).isEqualTo("abc");
    assertThat(HubNames.isSafeEtag("../../x")).isFalse();
    assertThat(HubNames.isSafeEtag(".hidden")).isFalse();
    assertThat(HubNames.isSafeEtag("abc.incomplete")).isFalse();
    assertThat(HubNames.isSafeEtag("d7edf6bd2a681fb0175f7735299831ee1b22b812")).isTrue();
    assertThat(RepoType.MODEL.folderName("BAAI/bge-reranker-base")).isEqualTo("models--BAAI--bge-reranker-base");
    assertThat(RepoType.DATASET.folderName("BeIR/scifact")).isEqualTo("datasets--BeIR--scifact");
  }

  @Test
  void globs_and_url_encoding() {
    assertThat(Globs.toRegex("*.safetensors").matcher("model.safetensors").matches()).isTrue();
    assertThat(Globs.toRegex("*.safetensors").matcher("sub/model.safetensors").matches()).isFalse();
    assertThat(Globs.toRegex("**/*.safetensors").matcher("model.safetensors").matches()).isTrue();
    assertThat(Globs.toRegex("**/*.safetensors").matcher("a/b/model.safetensors").matches()).isTrue();
    assertThat(Globs.toRegex("model-*-of-*.safetensors").matcher("model-00001-of-00002.safetensors").matches()).isTrue();
    assertThat(Globs.toRegex("{config,tokenizer}.json").matcher("tokenizer.json").matches()).isTrue();
    assertThat(Globs.toRegex("onnx/**").matcher("onnx/a/model.onnx").matches()).isTrue();
    assertThat(Globs.toRegex("model.?nnx").matcher("model.onnx").matches()).isTrue();
    assertThatThrownBy(() -> Globs.toRegex("{a,b")).hasMessageContaining("unbalanced");
    assertThat(UrlPaths.encodePath("docs/read me+[1].txt")).isEqualTo("docs/read%20me%2B%5B1%5D.txt");
    assertThat(UrlPaths.encodePath("日本.txt")).isEqualTo("%E6%97%A5%E6%9C%AC.txt");
    assertThat(UrlPaths.encodeSegment("refs/pr/1")).isEqualTo("refs%2Fpr%2F1");
  }
}
