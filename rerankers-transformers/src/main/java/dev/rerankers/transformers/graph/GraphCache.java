package dev.rerankers.transformers.graph;

import dev.rerankers.Catalog;
import dev.rerankers.ModelLoadException;
import dev.rerankers.hub.ModelSource;
import dev.rerankers.hub.RerankersCache;
import dev.rerankers.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where recorded graphs are kept and found again. A graph is stored in its own folder named by a
 * SHA-256 key over the library version, the graph format, what was recorded (kind, precision) and
 * the content hashes of the checkpoint files it came from, so a changed checkpoint or library gets a
 * new graph and the old one is never served.
 *
 * <p>Location: for a Hub model, beside its snapshots in the shared Hugging Face cache, {@code
 * models--org--name/rerankers-graphs/<key>/} — outside {@code blobs/}, {@code snapshots/} and
 * {@code refs/}, so neither this library's nor {@code huggingface_hub}'s cache scan sees a file
 * that is not the repository's. For a local folder, {@code <rerankers cache>/graphs/<key>/}
 * ({@code RERANKERS_CACHE}, else {@code $XDG_CACHE_HOME/rerankers}, else {@code
 * ~/.cache/rerankers}); the model folder itself is never written. An explicit folder overrides
 * both.
 *
 * <p>Integrity, as for downloads: a graph is written into a temporary folder, described by a
 * manifest ({@code graph.json}: the size and SHA-256 of every file, and the model's metadata),
 * then renamed into place in one step, so readers in this or another JVM see a complete graph or
 * none. A folder whose files do not match its manifest is not used (it is replaced). Two builders
 * racing both succeed; the first rename wins and the other is discarded.
 */
public final class GraphCache {
  private static final System.Logger LOG = System.getLogger(GraphCache.class.getName());
  /** Bumped whenever the recorder's output for a checkpoint changes. */
  static final int GRAPH_FORMAT = 1;
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final String MANIFEST = "graph.json";
  /** Beside the manifest: the {@link FileStamp}s of the files as last verified, so an unchanged graph is not re-hashed. */
  private static final String VERIFIED = "graph.verified";
  /** Under the root: remembered content hashes of local checkpoint files, one file each. */
  private static final String HASHES = ".hashes";
  /**
   * Initializers above this many bytes in all go to an external data file beside the graph
   * ({@code model.onnx.data}), keeping the protobuf under its 2 GiB limit. (Always writing external
   * data, which ONNX Runtime can map instead of copy, was measured: MiniLM-L6's peak RSS rose from
   * 659 to 730 MB and bge-reranker-base's stayed at 1.41 GB, so graphs stay inline when they can.)
   */
  public static final long EXTERNAL_DATA_ABOVE = 1L << 30;

  private GraphCache() {}

  /** Writes a graph's files into a fresh folder and returns the metadata to keep with it. */
  @FunctionalInterface
  public interface Builder {
    Map<String, String> build(Path folder) throws IOException;
  }

  /** A graph on disk: its folder (holding {@code model.onnx}) and the metadata stored with it. */
  public record Entry(Path folder, Map<String, String> metadata, boolean built) {}

  /** The folder holding the graphs of {@code source}, or {@code explicit} when given. */
  public static Path root(ModelSource source, Optional<Path> explicit) {
    if (explicit.isPresent()) {
      return explicit.get().toAbsolutePath().normalize();
    }
    if (!source.isLocal()) {
      // <cache>/models--org--name/snapshots/<commit> → <cache>/models--org--name/rerankers-graphs
      Path snapshot = source.directory();
      return snapshot.getParent().getParent().resolve("rerankers-graphs");
    }
    return RerankersCache.root().resolve("graphs");
  }

  /**
   * The key of a graph: SHA-256 over the library version, the graph format, {@code parts} (what is
   * recorded and how) and each file's content hash. A Hub file's hash is its blob name when that
   * is a SHA-256 (LFS files: the weights), else the SHA-256 of its bytes, remembered in {@code
   * root/.hashes} by the file's {@link FileStamp} so an unchanged checkpoint is not read again.
   */
  public static String key(Path root, List<Path> files, String... parts) {
    MessageDigest d = sha256();
    update(d, "rerankers-graph");
    update(d, Catalog.version());
    update(d, Integer.toString(GRAPH_FORMAT));
    for (String p : parts) {
      update(d, p);
    }
    for (Path f : files) {
      update(d, contentHash(root, f));
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /** A file's SHA-256: the name of the blob a Hub snapshot entry links to when it is one, else computed. */
  static String contentHash(Path file) {
    return contentHash(null, file);
  }

  /**
   * {@link #contentHash(Path)}, remembered under {@code root/.hashes} (when {@code root} is given)
   * for as long as the file's stamp stays the same.
   */
  static String contentHash(Path root, Path file) {
    try {
      if (Files.isSymbolicLink(file)) {
        String blob = Files.readSymbolicLink(file).getFileName().toString();
        if (SHA256.matcher(blob).matches()) {
          return blob;
        }
      }
      Optional<FileStamp> stamp = FileStamp.of(file);
      Path memo = root == null || stamp.isEmpty() ? null
          : root.resolve(HASHES).resolve(sha256(file.toAbsolutePath().normalize().toString()));
      if (memo != null && Files.isRegularFile(memo)) {
        List<String> lines = Files.readAllLines(memo, StandardCharsets.UTF_8);
        if (lines.size() == 2 && FileStamp.parse(lines.get(0)).equals(stamp) && SHA256.matcher(lines.get(1)).matches()) {
          return lines.get(1);
        }
      }
      String hash = sha256(file);
      if (memo != null && stamp.get().settled(FileStamp.now())) {
        writeAtomically(memo, stamp.get().line() + "\n" + hash + "\n");
      }
      return hash;
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + file + " to key its graph: " + e.getMessage(), e);
    }
  }

  /**
   * The graph stored under {@code key} in {@code root}, built by {@code builder} when absent or
   * damaged.
   *
   * @throws ModelLoadException when the graph can neither be found nor built and stored
   */
  public static Entry obtain(Path root, String key, Builder builder) {
    Path folder = root.resolve(key);
    Optional<Map<String, String>> found = verified(folder);
    if (found.isPresent()) {
      return new Entry(folder, found.get(), false);
    }
    try {
      Files.createDirectories(root);
      Path tmp = root.resolve(key + ".tmp-" + UUID.randomUUID());
      Files.createDirectory(tmp);
      try {
        Map<String, String> metadata = builder.build(tmp);
        writeManifest(tmp, metadata);
        if (Files.exists(folder)) {
          Optional<Map<String, String>> meanwhile = verified(folder);
          if (meanwhile.isPresent()) {
            // another builder finished first
            return new Entry(folder, meanwhile.get(), false);
          }
          // damaged: set it aside, then take its place
          Path old = root.resolve(key + ".old-" + UUID.randomUUID());
          try {
            Files.move(folder, old, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
          } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not set aside {0}: {1}", folder, e.getMessage());
          }
        }
        try {
          Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          deleteTree(tmp);
          throw new IOException("the file system of " + root + " cannot rename folders atomically; "
              + "set graphCache to a folder on a local disk", e);
        } catch (java.nio.file.FileSystemException e) {
          if (!Files.isDirectory(folder)) {
            throw e;
          }
          // another builder got there first (rename(2) fails with ENOTEMPTY, which the JDK reports as a
          // plain FileSystemException, or EEXIST): use its graph if sound
          deleteTree(tmp);
          Optional<Map<String, String>> theirs = verified(folder);
          if (theirs.isPresent()) {
            return new Entry(folder, theirs.get(), false);
          }
          throw new IOException("the graph folder " + folder + " appeared damaged while this load wrote its own");
        }
        return new Entry(folder, metadata, true);
      } finally {
        if (Files.exists(tmp)) {
          deleteTree(tmp);
        }
      }
    } catch (IOException e) {
      throw new ModelLoadException("cannot store the ONNX graph under " + root + ": " + e.getMessage()
          + " (set the option graphCache to a writable folder)", e);
    }
  }

  /**
   * The metadata of a folder whose files all match its manifest, else empty. Sizes are checked on
   * every call; the SHA-256 of the bytes when a file's {@link FileStamp} differs from the one
   * recorded at the last full check (or none was), after which the stamps are recorded again.
   */
  static Optional<Map<String, String>> verified(Path folder) {
    Path manifest = folder.resolve(MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      return Optional.empty();
    }
    try {
      Object parsed = Json.parse(Files.readString(manifest, StandardCharsets.UTF_8));
      if (!(parsed instanceof Map<?, ?> m) || !(m.get("files") instanceof Map<?, ?> files)
          || !(m.get("metadata") instanceof Map<?, ?> meta) || !files.containsKey("model.onnx")) {
        LOG.log(System.Logger.Level.WARNING, "ignoring the graph in {0}: its manifest is malformed", folder);
        return Optional.empty();
      }
      Map<String, String> known = stamps(folder.resolve(VERIFIED));
      Map<String, String> now = new TreeMap<>();
      boolean settled = true;
      long clock = FileStamp.now();
      for (Map.Entry<?, ?> f : files.entrySet()) {
        String name = String.valueOf(f.getKey());
        Path file = folder.resolve(name).normalize();
        if (!file.getParent().equals(folder.normalize()) || !(f.getValue() instanceof Map<?, ?> info)) {
          return Optional.empty();
        }
        Object size = info.get("size");
        if (!Files.isRegularFile(file) || !(size instanceof Number n) || Files.size(file) != n.longValue()) {
          LOG.log(System.Logger.Level.WARNING, "ignoring the graph in {0}: {1} does not match its manifest; rebuilding",
              folder, name);
          return Optional.empty();
        }
        Optional<FileStamp> stamp = FileStamp.of(file);
        boolean unchanged = stamp.isPresent() && stamp.get().line().equals(known.get(name));
        if (!unchanged && !sha256(file).equals(info.get("sha256"))) {
          LOG.log(System.Logger.Level.WARNING, "ignoring the graph in {0}: {1} does not match its manifest; rebuilding",
              folder, name);
          return Optional.empty();
        }
        settled &= stamp.isPresent() && stamp.get().settled(clock);
        stamp.ifPresent(st -> now.put(name, st.line()));
      }
      if (settled && !now.equals(known)) {
        try {
          StringBuilder sb = new StringBuilder();
          now.forEach((name, line) -> sb.append(line).append(' ').append(name).append('\n'));
          writeAtomically(folder.resolve(VERIFIED), sb.toString());
        } catch (IOException e) {
          // a read-only cache: verify in full next time too
          LOG.log(System.Logger.Level.DEBUG, "cannot record the verified stamps in {0}: {1}", folder, e.getMessage());
        }
      }
      Map<String, String> out = new LinkedHashMap<>();
      meta.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
      return Optional.of(out);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "ignoring the graph in {0}: {1}", folder, e.getMessage());
      return Optional.empty();
    }
  }

  /** The stamps recorded by {@link #verified}: file name → stamp line; empty when absent or unreadable. */
  private static Map<String, String> stamps(Path file) {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] f = line.split(" ", 5);
        if (f.length == 5 && FileStamp.parse(String.join(" ", f[0], f[1], f[2], f[3])).isPresent()) {
          out.put(f[4], String.join(" ", f[0], f[1], f[2], f[3]));
        }
      }
    } catch (IOException | RuntimeException e) {
      out.clear();
    }
    return out;
  }

  /** Writes {@code text} beside {@code target}, then renames it into place ({@link RerankersCache#writeAtomically}). */
  private static void writeAtomically(Path target, String text) throws IOException {
    RerankersCache.writeAtomically(target, text.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(String text) {
    return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static void writeManifest(Path folder, Map<String, String> metadata) throws IOException {
    Map<String, Map<String, Object>> files = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
      for (Path f : ds) {
        files.put(f.getFileName().toString(), Map.of("size", Files.size(f), "sha256", sha256(f)));
      }
    }
    StringBuilder sb = new StringBuilder("{\"format\": ").append(GRAPH_FORMAT)
        .append(",\n \"library\": ").append(Json.quote(Catalog.version()))
        .append(",\n \"files\": {");
    String sep = "";
    for (Map.Entry<String, Map<String, Object>> f : files.entrySet()) {
      sb.append(sep).append("\n  ").append(Json.quote(f.getKey())).append(": {\"size\": ")
          .append(f.getValue().get("size")).append(", \"sha256\": ").append(Json.quote((String) f.getValue().get("sha256")))
          .append('}');
      sep = ",";
    }
    sb.append("},\n \"metadata\": {");
    sep = "";
    for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
      sb.append(sep).append("\n  ").append(Json.quote(e.getKey())).append(": ").append(Json.quote(e.getValue()));
      sep = ",";
    }
    sb.append("}}\n");
    Files.writeString(folder.resolve(MANIFEST), sb.toString(), StandardCharsets.UTF_8);
  }

  static String sha256(Path file) throws IOException {
    MessageDigest d = sha256();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static void update(MessageDigest d, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    d.update((byte) (b.length >>> 24));
    d.update((byte) (b.length >>> 16));
    d.update((byte) (b.length >>> 8));
    d.update((byte) b.length);
    d.update(b);
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
        for (Path c : ds) {
          deleteTree(c);
        }
      }
    }
    Files.delete(p);
  }
}
