package dev.rerankers.colbert.internal;

import dev.rerankers.hub.ModelSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A module folder inside a model (a sentence-transformers module {@code path}). */
record SubfolderSource(ModelSource parent, String folder) implements ModelSource {

  SubfolderSource {
    if (folder.contains("..") || folder.startsWith("/")) {
      throw new dev.rerankers.ModelLoadException("module path '" + folder + "' of " + parent.id()
          + " must be a folder inside the model");
    }
    folder = folder.endsWith("/") ? folder : folder + "/";
  }

  /** The parent itself for an empty path, else the subfolder. */
  static ModelSource of(ModelSource parent, String folder) {
    return folder == null || folder.isEmpty() ? parent : new SubfolderSource(parent, folder);
  }

  @Override
  public String id() {
    return parent.id() + "/" + folder.substring(0, folder.length() - 1);
  }

  @Override
  public boolean isLocal() {
    return parent.isLocal();
  }

  @Override
  public Path file(String path) {
    return parent.file(folder + path);
  }

  @Override
  public Optional<Path> optionalFile(String path) {
    return parent.optionalFile(folder + path);
  }

  @Override
  public List<String> files() {
    return parent.files().stream().filter(f -> f.startsWith(folder)).map(f -> f.substring(folder.length())).toList();
  }
}
