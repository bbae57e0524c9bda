package dev.rerankers.hub;

import dev.rerankers.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One repository's folder in the Hub cache, in the layout of Python's {@code huggingface_hub}:
 *
 * <pre>
 * {cache}/models--org--name/
 *   blobs/{etag}                      file contents, named by ETag (git SHA-1, or SHA-256 for LFS)
 *   blobs/{etag}.incomplete           a download in progress (resumed with an HTTP Range request)
 *   snapshots/{commit}/{path}         symlink to ../../blobs/{etag} (a copy where symlinks fail)
 *   refs/{revision}                   the commit hash a branch or tag pointed to, no newline
 *   .no_exist/{commit}/{path}         empty marker: the file does not exist at that commit
 *   trees/{commit}.json               the commit's file listing (huggingface_hub 1.x format 1)
 * {cache}/.locks/models--org--name/{etag}.lock
 * </pre>
 *
 * <p>Every write is atomic (a temporary file renamed into place), so concurrent readers in this or
 * another process, Java or Python, never see half a file. Thread-safe: it holds no mutable state.
 */
final class RepoCache {
  private static final System.Logger LOG = System.getLogger("dev.rerankers.hub");
  private static final String CACHEDIR_TAG =
      "Signature: 8a477f597d28d172789f06886806bc55\n"
          + "# This file is a cache directory tag created by rerankers-java (huggingface_hub layout).\n"
          + "# For information about cache directory tags, see:\n"
          + "#\thttps://bford.info/cachedir/\n";
  private static final long TREE_FORMAT_VERSION = 1;

  private final Path cacheDir;
  private final RepoType type;
  private final String repoId;
  private final Path root;

  RepoCache(Path cacheDir, RepoType type, String repoId) {
    this.cacheDir = cacheDir.toAbsolutePath().normalize();
    this.type = type;
    this.repoId = HubNames.checkRepoId(repoId);
    this.root = this.cacheDir.resolve(type.folderName(repoId));
  }

  /** The cache folder holding all repositories. */
  Path cacheDir() {
    return cacheDir;
  }

  /** This repository's folder, {@code models--org--name}. */
  Path root() {
    return root;
  }

  Path blob(String etag) {
    return root.resolve("blobs").resolve(checkEtag(etag));
  }

  Path incomplete(String etag) {
    return root.resolve("blobs").resolve(checkEtag(etag) + ".incomplete");
  }

  Path lockFile(String etag) {
    return cacheDir.resolve(".locks").resolve(type.folderName(repoId)).resolve(checkEtag(etag) + ".lock");
  }

  Path snapshot(String commit) {
    return root.resolve("snapshots").resolve(checkCommit(commit));
  }

  /** The snapshot entry of a file: the path callers get back. */
  Path pointer(String commit, String path) {
    return RepoPaths.resolveInside(snapshot(commit), path);
  }

  /** The cached file at that commit, if it is there (a symlink to an existing blob, or a copy). */
  Optional<Path> cachedFile(String commit, String path) {
    Path p = pointer(commit, path);
    return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
  }

  /**
   * The commit a revision resolves to without the network: the revision itself when it is a commit
   * hash, else the content of {@code refs/<revision>}.
   */
  Optional<String> commitOf(String revision) {
    if (HubNames.isCommit(revision)) {
      return Optional.of(revision);
    }
    Path ref = RepoPaths.resolveInside(root.resolve("refs"), revision);
    try {
      String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
      if (HubNames.isCommit(commit)) {
        return Optional.of(commit);
      }
      LOG.log(Level.WARNING, "ignoring {0}: not a commit hash", ref);
    } catch (NoSuchFileException e) {
      // not cached
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot read " + ref + ": " + e);
    }
    return Optional.empty();
  }

  /** Records the commit a branch or tag points to (nothing for a commit hash), as huggingface_hub does. */
  void writeRef(String revision, String commit) throws IOException {
    checkCommit(commit);
    if (revision.equals(commit) || commitOf(revision).filter(commit::equals).isPresent()) {
      return;
    }
    Path ref = RepoPaths.resolveInside(root.resolve("refs"), revision);
    RerankersCache.writeAtomically(ref, commit.getBytes(StandardCharsets.US_ASCII));
  }

  /** Whether a {@code .no_exist} marker says the file is absent at that commit. */
  boolean markedAbsent(String commit, String path) {
    return Files.isRegularFile(RepoPaths.resolveInside(root.resolve(".no_exist").resolve(checkCommit(commit)), path));
  }

  /** Records that the file does not exist at that commit (best effort). */
  void markAbsent(String commit, String path) {
    Path marker = RepoPaths.resolveInside(root.resolve(".no_exist").resolve(checkCommit(commit)), path);
    try {
      Files.createDirectories(marker.getParent());
      Files.createFile(marker);
    } catch (FileAlreadyExistsException e) {
      // already recorded
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "cannot record that {0} is absent: {1}", path, e);
    }
  }

  /** The listing cached in {@code trees/<commit>.json}, if present and readable. */
  Optional<Map<String, RemoteFile>> readTree(String commit) {
    Path file = root.resolve("trees").resolve(checkCommit(commit) + ".json");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot read " + file + ": " + e);
      return Optional.empty();
    }
    try {
      Map<?, ?> data = (Map<?, ?>) Json.parse(text);
      if (!Long.valueOf(TREE_FORMAT_VERSION).equals(data.get("format_version"))) {
        return Optional.empty();
      }
      Map<String, RemoteFile> files = new TreeMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) data.get("files")).entrySet()) {
        String path = (String) e.getKey();
        if (!RepoPaths.isValid(path)) {
          LOG.log(Level.WARNING, "ignoring file name ''{0}'' in {1}", RepoPaths.printable(path), file);
          continue;
        }
        Map<?, ?> info = (Map<?, ?>) e.getValue();
        files.put(
            path,
            new RemoteFile(
                path,
                asLong(info.get("size")),
                (String) info.get("blob_id"),
                (String) info.get("lfs_sha256"),
                asLong(info.get("lfs_size"))));
      }
      return Optional.of(files);
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      LOG.log(Level.WARNING, "ignoring unreadable tree cache " + file + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Caches a commit's listing in huggingface_hub's {@code trees/} format (only when every entry is complete). */
  void writeTree(String commit, Collection<RemoteFile> files) {
    if (files.isEmpty() || !files.stream().allMatch(RemoteFile::complete)) {
      return;
    }
    StringBuilder sb = new StringBuilder("{\n \"format_version\": ").append(TREE_FORMAT_VERSION).append(",\n \"files\": {");
    List<RemoteFile> sorted = new ArrayList<>(files);
    sorted.sort((a, b) -> a.path().compareTo(b.path()));
    String sep = "\n";
    for (RemoteFile f : sorted) {
      sb.append(sep).append("  ").append(Json.quote(f.path())).append(": {\"size\": ").append(f.size());
      sb.append(", \"blob_id\": ").append(Json.quote(f.blobId()));
      if (f.lfsSha256() != null) {
        sb.append(", \"lfs_sha256\": ").append(Json.quote(f.lfsSha256()));
        sb.append(", \"lfs_size\": ").append(f.lfsSize() != null ? f.lfsSize() : f.size());
      }
      sb.append('}');
      sep = ",\n";
    }
    sb.append("\n }\n}\n");
    Path file = root.resolve("trees").resolve(checkCommit(commit) + ".json");
    try {
      RerankersCache.writeAtomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot write " + file + ": " + e);
    }
  }

  /** The files present in a cached snapshot, relative with '/' separators, sorted. */
  List<String> snapshotFiles(String commit) {
    Path dir = snapshot(commit);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .filter(RepoPaths::isValid)
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /**
   * Makes {@code pointer} point at {@code blob}: a relative symlink ({@code ../../blobs/<etag>}) as
   * huggingface_hub makes, or a copy when symlinks are disabled or fail. Atomic.
   */
  void link(Path blob, Path pointer, boolean symlinks) throws IOException {
    Files.createDirectories(pointer.getParent());
    Path tmp = pointer.resolveSibling(pointer.getFileName() + "." + shortId() + ".tmp");
    if (symlinks) {
      try {
        Files.createSymbolicLink(tmp, pointer.getParent().relativize(blob));
        RerankersCache.moveAtomically(tmp, pointer);
        return;
      } catch (UnsupportedOperationException | IOException e) {
        Files.deleteIfExists(tmp);
        LOG.log(Level.DEBUG, "symlinks unavailable in {0} ({1}); copying the blob", root, e);
      }
    }
    try {
      Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
      RerankersCache.moveAtomically(tmp, pointer);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes {@code CACHEDIR.TAG} in the cache folder if missing (best effort), as huggingface_hub does. */
  void tagCacheDir() {
    Path tag = cacheDir.resolve("CACHEDIR.TAG");
    if (!Files.exists(tag)) {
      try {
        RerankersCache.writeAtomically(tag, CACHEDIR_TAG.getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "cannot write {0}: {1}", tag, e);
      }
    }
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static Long asLong(Object o) {
    return o instanceof Number ? Long.valueOf(((Number) o).longValue()) : null;
  }

  private static String checkEtag(String etag) {
    if (!HubNames.isSafeEtag(etag)) {
      throw new IllegalArgumentException("refusing ETag '" + RepoPaths.printable(etag) + "' as a blob name");
    }
    return etag;
  }

  private static String checkCommit(String commit) {
    if (!HubNames.isCommit(commit)) {
      throw new IllegalArgumentException("refusing commit hash '" + RepoPaths.printable(commit) + "'");
    }
    return commit;
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
