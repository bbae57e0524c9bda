package dev.rerankers.flashrank.internal;

import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Extracts a zip into an empty folder, refusing anything that could write outside it or fill the
 * disk: absolute names, drive letters, backslashes, {@code .}/{@code ..} segments, control
 * characters, duplicate names, more entries or more bytes than the limits allow (counted while
 * inflating, never trusting the sizes the archive declares) and inflation ratios typical of zip
 * bombs. Entries are only ever created as regular files and folders ({@code CREATE_NEW}): a link
 * entry becomes a plain file and existing files are never followed or overwritten. Reads the
 * central directory, as Python's {@code zipfile} does.
 */
public final class SafeUnzip {
  /**
   * Limits for one archive.
   *
   * @param maxEntries the most entries (files and folders)
   * @param maxEntryBytes the largest file once inflated
   * @param maxTotalBytes all files together once inflated
   * @param maxRatio the most inflated bytes per byte of archive, past {@code ratioAllowance}
   * @param ratioAllowance inflated bytes always allowed, whatever the ratio
   */
  public record Limits(int maxEntries, long maxEntryBytes, long maxTotalBytes, int maxRatio, long ratioAllowance) {
    /** FlashRank's largest ONNX zip inflates to ~0.5 GB; these leave room for larger ones. */
    public static final Limits DEFAULT = new Limits(1_000, 3L << 30, 6L << 30, 200, 64L << 20);
  }

  private SafeUnzip() {}

  /**
   * Extracts {@code zip} into {@code target}, which must not exist yet (it is created).
   *
   * @return the number of files written
   * @throws ModelLoadException naming the archive and the offending entry when it is refused, or
   *     when it cannot be read
   */
  public static int extract(Path zip, Path target, Limits limits) {
    Path root = target.toAbsolutePath().normalize();
    long zipSize;
    try {
      zipSize = Files.size(zip);
      Files.createDirectory(root);
    } catch (IOException e) {
      throw new ModelLoadException("cannot unpack " + zip + " into " + root + ": " + e, e);
    }
    long budget = Math.min(limits.maxTotalBytes(), Math.max(limits.ratioAllowance(), zipSize * limits.maxRatio()));
    int files = 0;
    long total = 0;
    Set<String> seen = new HashSet<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      if (z.size() > limits.maxEntries()) {
        throw refused(zip, null, "it has " + z.size() + " entries, more than the " + limits.maxEntries() + " allowed");
      }
      Enumeration<? extends ZipEntry> entries = z.entries();
      int count = 0;
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        if (++count > limits.maxEntries()) {
          throw refused(zip, null, "it has more than " + limits.maxEntries() + " entries");
        }
        String name = checkName(zip, e.getName());
        if (!seen.add(name.toLowerCase(Locale.ROOT))) {
          throw refused(zip, e.getName(), "the name appears twice (or differs only in case)");
        }
        Path out = root.resolve(name).normalize();
        if (!out.startsWith(root) || out.equals(root)) {
          throw refused(zip, e.getName(), "it resolves outside the target folder");
        }
        if (e.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        Files.createDirectories(out.getParent());
        long left = Math.min(limits.maxEntryBytes(), budget - total);
        long written;
        try (InputStream in = z.getInputStream(e);
            OutputStream os = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          written = copy(in, os, left);
        }
        if (written < 0) {
          throw refused(zip, e.getName(), written(limits, budget, zipSize));
        }
        total += written;
        files++;
      }
    } catch (ZipException e) {
      throw new ModelLoadException(zip + " is not a valid zip archive (" + e.getMessage() + "); delete it from the"
          + " cache so it is downloaded again", e);
    } catch (IOException e) {
      throw new ModelLoadException("cannot unpack " + zip + " into " + root + ": " + e, e);
    }
    return files;
  }

  /** Copies at most {@code limit} bytes; -1 when the stream has more. */
  private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buf = new byte[1 << 16];
    long n = 0;
    int r;
    while ((r = in.read(buf)) > 0) {
      n += r;
      if (n > limit) {
        return -1;
      }
      out.write(buf, 0, r);
    }
    return n;
  }

  private static String written(Limits limits, long budget, long zipSize) {
    return "it inflates past the limits (" + limits.maxEntryBytes() + " bytes per file, " + budget
        + " bytes in all for a " + zipSize + "-byte archive)";
  }

  /** The entry name as a safe relative path with '/' separators, or a refusal. */
  static String checkName(Path zip, String raw) {
    if (raw == null || raw.isEmpty()) {
      throw refused(zip, raw, "the name is empty");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw refused(zip, raw, "the name has a control character");
      }
    }
    if (raw.indexOf('\\') >= 0) {
      throw refused(zip, raw, "the name has a backslash");
    }
    if (raw.startsWith("/") || raw.indexOf(':') >= 0) {
      throw refused(zip, raw, "the name is absolute or has a drive letter");
    }
    String name = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
    for (String seg : name.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
        throw refused(zip, raw, "the name has an empty, '.' or '..' segment");
      }
    }
    return name;
  }

  private static ModelLoadException refused(Path zip, String entry, String why) {
    return new ModelLoadException(
        "refusing to unpack " + zip.getFileName()
            + (entry == null ? "" : ": entry '" + printable(entry) + "'")
            + ": " + why + ". The archive is corrupt or hostile; nothing outside the target folder was written");
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return sb.toString();
  }
}
