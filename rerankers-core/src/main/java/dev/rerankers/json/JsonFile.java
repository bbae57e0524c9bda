package dev.rerankers.json;

import dev.rerankers.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON files of a model folder ({@code config.json}, {@code tokenizer.json}, ...) with
 * messages that name the file and say what is wrong: not UTF-8 (with the offset and the byte), not
 * JSON (with the offset), not an object. Also describes a JSON value for messages about a field
 * ({@code the string "32"}, {@code the number 1.0E12}), so a reader can say what it found. Not
 * API.
 */
public final class JsonFile {
  /** Files larger than this are refused before they are read (the largest real tokenizer.json is ~35 MB). */
  public static final long MAX_BYTES = 512L * 1024 * 1024;

  private JsonFile() {}

  /**
   * The file's text, decoded as strict UTF-8 (a leading byte-order mark is dropped).
   *
   * @throws ModelLoadException when the file cannot be read, is too large or is not UTF-8
   */
  public static String readText(Path file) {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new ModelLoadException(file + " holds " + size + " bytes, over the " + MAX_BYTES
            + "-byte limit for a JSON file of a model; it is not a model's JSON file (or a hostile one)");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + file + ": " + e, e);
    }
    int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    try {
      return decoder.decode(in).toString();
    } catch (CharacterCodingException e) {
      int at = in.position();
      String found = at < bytes.length ? String.format("byte 0x%02x", bytes[at] & 0xff) : "the end of the file";
      throw new ModelLoadException(file + " is not UTF-8 text (" + found + " at offset " + at
          + " is not valid UTF-8): it is corrupt or not a JSON file; download it again", e);
    }
  }

  /**
   * The file parsed as JSON.
   *
   * @throws ModelLoadException naming the file when it is unreadable, not UTF-8 or not valid JSON
   */
  public static Object read(Path file) {
    String text = readText(file);
    try {
      return Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(file + " is not valid JSON (" + e.getMessage() + "); download it again", e);
    }
  }

  /**
   * The file parsed as a JSON object.
   *
   * @throws ModelLoadException naming the file when it is unreadable, not JSON or not an object
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readObject(Path file) {
    Object o = read(file);
    if (!(o instanceof Map)) {
      throw new ModelLoadException(file + " must hold a JSON object, but holds " + describe(o));
    }
    return (Map<String, Object>) o;
  }

  /**
   * A JSON value described for a message: {@code the string "32"}, {@code the number 1.0E12},
   * {@code true}, {@code null}, {@code a list of 3 items}, {@code an object}. Long strings are cut.
   */
  public static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      String shown = s.length() > 40 ? s.substring(0, 40) + "…" : s;
      return "the string " + Json.quote(shown);
    }
    if (value instanceof Long || value instanceof Integer) {
      return "the integer " + value;
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return "the number " + (d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) + ".0" : Double.toString(d));
    }
    if (value instanceof Boolean b) {
      return b.toString();
    }
    if (value instanceof List<?> l) {
      return "a list of " + l.size() + (l.size() == 1 ? " item" : " items");
    }
    if (value instanceof Map<?, ?>) {
      return "an object";
    }
    return value.getClass().getSimpleName();
  }
}
