package dev.rerankers.flashrank.internal;

import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Folders filled once and then reused: written under a temporary name, marked complete, and moved
 * into place with one atomic rename, so a reader never sees a half-written folder and two
 * processes racing to fill the same one both end up using one complete copy.
 */
public final class Unpacked {
  private static final System.Logger LOG = System.getLogger(Unpacked.class.getName());
  private static final String COMPLETE = ".complete";
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private Unpacked() {}

  /**
   * The folder {@code parent/name}, filled by {@code fill} (given an empty folder to write into)
   * unless a complete copy already exists.
   */
  public static Path folder(Path parent, String name, Consumer<Path> fill) {
    Path target = parent.resolve(name);
    if (Files.isRegularFile(target.resolve(COMPLETE))) {
      return target;
    }
    Path tmp = parent.resolve(".tmp-" + name + "-" + UUID.randomUUID());
    try {
      Files.createDirectories(parent);
      fill.accept(tmp);
      Files.writeString(tmp.resolve(COMPLETE), "complete\n");
      if (Files.isDirectory(target) && !Files.isRegularFile(target.resolve(COMPLETE))) {
        LOG.log(Level.WARNING, "replacing the incomplete folder {0}", target);
        deleteTree(target);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        throw new ModelLoadException("the cache folder " + parent + " does not support atomic renames; choose another"
            + " folder with the extractDir option or RERANKERS_CACHE", e);
      } catch (IOException e) {
        // another thread or process moved its complete copy in first (rename onto a non-empty folder fails)
        if (!Files.isRegularFile(target.resolve(COMPLETE))) {
          throw e;
        }
        LOG.log(Level.DEBUG, "another process unpacked {0} first; using its copy", target);
      }
      return target;
    } catch (IOException e) {
      throw new ModelLoadException("cannot write " + target + ": " + e
          + "; check the permissions of the cache folder (option extractDir, or RERANKERS_CACHE)", e);
    } finally {
      deleteTree(tmp);
    }
  }

  /**
   * A short content key for a downloaded file: the blob name when the Hub cache stored it under
   * its sha256, else the file's sha256, first 16 hex digits.
   */
  public static String contentKey(Path file) {
    try {
      Path real = file.toRealPath();
      String blob = real.getFileName().toString();
      if (SHA256.matcher(blob).matches()) {
        return blob.substring(0, 16);
      }
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(real)) {
        byte[] buf = new byte[1 << 16];
        int r;
        while ((r = in.read(buf)) > 0) {
          md.update(buf, 0, r);
        }
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + file + ": " + e, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      LOG.log(Level.WARNING, "cannot delete " + dir + ": " + e);
    }
  }
}
